"""Property: for random meetings whose free texts embed residents' labels and
codes (ASCII, full-width, lower case, with spaces or other dashes), the
公開用 minutes — Word and Markdown — contain no resident label or code in any
paragraph, table cell, header or footer."""
from __future__ import annotations

import io

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import build_minutes, render_bytes

from test_minutes_demo import docx_texts, find_hits

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ALPHABET = "あいうえおかきくけこさしすせそたちつてとなにのはまやらわん日本会議支援地域。、「」（） ABCRSabcr0123456789-"
TEMPLATES = [None, "A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A12"]
SPEAKERS = ["CHAIR", "VICE_CHAIR", "MEMBER", "SC", "SECRETARIAT", "DEPARTMENT", "ADVISOR"]
FINDING_KINDS = ["FUNCTION_GAP", "SAME_NONMEMBER", "DIFF_MISSING_GROUP", "NO_NETWORK", "SERVICE_GAP",
                 "LINKAGE_GAP", "INDIVIDUAL_NOT_FORMED"]
DECISION_TYPES = ["EXPAND_EXISTING", "FORM_NEW", "CREATE_SERVICE", "PROMOTE_INDIVIDUAL", "LINKAGE", "OTHER"]
FW = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"}


def variants(token: str) -> list[str]:
    out = [token, token.lower(), "".join(FW.get(c, c) for c in token), " ".join(token)]
    if "-" in token:
        out += [token.replace("-", ""), token.replace("-", "‐"), token.replace("-", "－"), token.replace("-", " ")]
    return out


@st.composite
def meeting_dataset(draw):
    letters = draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=6, unique=True))
    numbers = draw(st.lists(st.integers(1, 999), min_size=len(letters), max_size=len(letters), unique=True))
    subjects = [{"id": f"S{i}", "code": f"R-{n:03d}", "label": f"{L}さん", "age_band": "80s", "sex": "F",
                 "household": "ALONE", "area_id": "AR"} for i, (L, n) in enumerate(zip(letters, numbers))]
    tokens = [v for s in subjects for t in (s["code"], s["label"]) for v in variants(t)]

    def text(max_size=30):
        base = draw(st.text(alphabet=ALPHABET, max_size=max_size))
        if tokens and draw(st.booleans()):
            tok = draw(st.sampled_from(tokens))
            at = draw(st.integers(0, len(base)))
            base = base[:at] + tok + base[at:]
        return base

    sids = [s["id"] for s in subjects]
    persons = [{"id": f"P{i}", "display_name": f"見本 {'一二三四五六'[i - 1]}", "org_id": "O1"} for i in range(1, 7)]
    registry = {
        "municipality": [{"id": "MU", "name": "テスト市"}],
        "areas": [{"id": "AR", "municipality_id": "MU", "name": "北圏域"}],
        "organizations": [{"id": "O1", "name": "架空団体", "org_type": "NPO"}],
        "persons": persons,
        "coordinators": [{"id": "SC1", "person_id": "P5", "tier": 2, "affiliation": "SHAKYO"}],
        "councils": [{"id": "C", "name": "北テスト会議", "tier": 2, "area_id": "AR", "chair_person_id": "P1"}],
        "council_members": [{"id": f"CM{i}", "council_id": "C", "person_id": f"P{i}",
                             "role": ("CHAIR" if i == 1 else "SC" if i == 5 else "SECRETARIAT" if i == 6 else "MEMBER")}
                            for i in range(1, 7)],
        "subjects": subjects,
        "individual_networks": [{"id": f"IN{i}", "subject_id": s} for i, s in enumerate(sids)],
        "provider_networks": [{"id": "PN1", "name": "同種の会", "kind": "SAME", "coverage_level": "AREA",
                               "form": "MEETING", "area_id": "AR"},
                              {"id": "PN2", "name": "異種の会", "kind": "DIFF", "coverage_level": "AREA",
                               "form": "MEETING", "area_id": "AR"}],
    }
    subject_subset = st.lists(st.sampled_from(sids), max_size=2, unique=True)

    def meeting(mid, seq, held_on):
        n_items = draw(st.integers(1, 12))
        items = []
        for k in range(n_items):
            items.append({"id": f"{mid}-AG{k}", "meeting_id": mid, "order": k + 1,
                          "section": draw(st.sampled_from(["REPORT", "DISCUSSION", "OTHER", "INFO"])),
                          "title": text(15), "template": draw(st.sampled_from(TEMPLATES)),
                          "summary": text(), "visibility": draw(st.sampled_from(["PUBLIC", "PRIVATE"])),
                          "material_ids": [f"{mid}-MT{j}" for j in range(draw(st.integers(0, 2)))],
                          "result": draw(st.sampled_from(["", "CONFIRMED", "CORRECTED"])),
                          "correction": text(), "network_ids": draw(st.lists(st.sampled_from(["PN1", "PN2"]), max_size=1))})
        item_ids = [a["id"] for a in items]
        pick_item = st.sampled_from(item_ids)
        tables = {
            "meeting": [{"id": mid, "council_id": "C", "fiscal_year": 2025, "seq_no": seq, "held_on": held_on,
                         "start_time": "14:00", "end_time": "15:30", "venue": text(15),
                         "mode": draw(st.sampled_from(["IN_PERSON", "HYBRID", "ONLINE"])), "status": "HELD",
                         "chair_person_id": "P1", "recorder_person_id": "P5", "next_plan_date": "2025-12-01",
                         "next_plan_venue": text(10), "next_plan_topics": text(),
                         "minutes_correction": text(), "observers_count": draw(st.integers(0, 3))}],
            "attendance": [{"id": f"{mid}-AT{i}", "meeting_id": mid, "person_id": f"P{i}",
                            "role_in_meeting": "SC" if i == 5 else "SECRETARIAT" if i == 6 else "MEMBER",
                            "status": draw(st.sampled_from(["PRESENT", "ABSENT", "PROXY", "LATE"])),
                            "note": text(10), "proxy_name": text(6)} for i in range(1, 7)]
                          + [{"id": f"{mid}-ATX", "meeting_id": mid, "name": text(6), "org_name": text(8),
                              "role_in_meeting": "DEPARTMENT", "status": "PRESENT"}],
            "materials": [{"id": f"{mid}-MT{j}", "meeting_id": mid, "label": f"資料{j + 1}", "title": text(15),
                           "internal_only": draw(st.booleans())} for j in range(2)],
            "agenda_items": items,
            "statements": [{"id": f"{mid}-ST{k}", "meeting_id": mid, "agenda_item_id": draw(pick_item),
                            "speaker_label": draw(st.sampled_from(SPEAKERS)), "department": text(6),
                            "speaker_person_id": "P2", "text": text(), "order": k,
                            "subject_ids": draw(subject_subset) if draw(st.booleans()) else []}
                           for k in range(draw(st.integers(0, 25)))],
            "gap_findings": [{"id": f"{mid}-GF{k}", "meeting_id": mid, "kind": draw(st.sampled_from(FINDING_KINDS)),
                              "description": text(), "agenda_item_id": draw(pick_item),
                              "subject_ids": draw(subject_subset)} for k in range(draw(st.integers(0, 4)))],
            "decisions": [{"id": f"{mid}-D{k}", "meeting_id": mid, "type": draw(st.sampled_from(DECISION_TYPES)),
                           "text": text(), "target_text": text(8), "agenda_item_id": draw(pick_item),
                           "subject_ids": draw(subject_subset),
                           "target_network_id": draw(st.sampled_from([None, "PN1", "IN0"])),
                           "responsible_tier": 2} for k in range(draw(st.integers(0, 4)))],
            "function_assessments": [{"id": f"{mid}-FA{k}", "meeting_id": mid, "network_id": draw(st.sampled_from(["PN1", "PN2"])),
                                      "function_code": "SAME_REFERRAL", "rating": "PARTIAL", "evidence": text()}
                                     for k in range(draw(st.integers(0, 3)))],
            "linkage_statuses": [{"id": f"{mid}-LS{k}", "meeting_id": mid, "council_id": "C",
                                  "linked_system_code": code, "status": "INFO_EXCHANGE", "notes": text()}
                                 for k, code in enumerate(["DISABILITY_CLS", "DEMENTIA_PROMOTER"])],
            "network_updates": [{"id": f"{mid}-NU{k}", "meeting_id": mid, "entity": "individual_networks",
                                 "entity_id": f"IN{k}", "changes": {"status": "FORMING"}, "note": text()}
                                for k in range(len(sids))]
                               + [{"id": f"{mid}-NUP", "meeting_id": mid, "entity": "provider_networks",
                                   "entity_id": "PN1", "changes": {"status": "ACTIVE"}, "note": text()}],
        }
        decision_ids = [d["id"] for d in tables["decisions"]]
        tables["action_items"] = [{"id": f"{mid}-AI{k}", "origin_meeting_id": mid, "title": text(),
                                   "owner_text": text(6), "owner_person_ids": ["P2"],
                                   "decision_id": draw(st.sampled_from([None] + decision_ids)),
                                   "due_date": "2025-10-01"} for k in range(draw(st.integers(0, 4)))]
        tables["readback"] = [{"id": f"{mid}-RB{k}", "meeting_id": mid, "target_table": "action_items",
                               "target_id": a["id"], "result": draw(st.sampled_from(["CONFIRMED", "OBJECTION"])),
                               "note": text(8)} for k, a in enumerate(tables["action_items"])]
        return tables

    m1 = meeting("M1", 1, "2025-05-20")
    m2 = meeting("M2", 2, "2025-07-15")
    m2["action_progress"] = [{"id": f"M2-AP{k}", "action_item_id": a["id"], "meeting_id": "M2",
                              "note": text(), "status_after": "IN_PROGRESS"} for k, a in enumerate(m1["action_items"])]
    m2["finding_updates"] = [{"id": f"M2-FU{k}", "meeting_id": "M2", "finding_id": f["id"], "status": "DECIDED",
                              "note": text()} for k, f in enumerate(m1["gap_findings"])]
    return {"registry": registry, "sensitive": {}, "meetings": {"M1": m1, "M2": m2}}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # examples: the profile's
@given(meeting_dataset())
def test_public_minutes_never_show_a_resident(dataset):
    world = World.from_dataset(dataset)
    tokens = {t for s in world.subjects.values() for t in (s.code, s.label)}
    for mid in ("M1", "M2"):
        minutes = build_minutes(world, mid, "PUBLIC")
        assert find_hits(list(minutes.texts()), tokens) == []
        doc = Document(io.BytesIO(render_bytes(minutes, "docx")))
        assert find_hits(docx_texts(doc), tokens) == []
        md = render_bytes(minutes, "md").decode("utf-8")
        assert find_hits(md.splitlines(), tokens) == []
        # the internal variant builds from the same data (labels allowed there)
        build_minutes(world, mid, "INTERNAL")
