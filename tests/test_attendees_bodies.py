"""Departments and 関係機関 as attendees and speakers without a person's name
(issue 15): the roll, the speaker list whose keys never move, and the
minutes' attendance under their own headings."""
from __future__ import annotations

import pytest

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.changes import SessionError
from kyogitai_tui.domain.demo import DEMO_TODAY, load_demo
from kyogitai_tui.domain.meeting.roster import roster_rows, speaker_choices, speaker_of_choice
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.model import Attendance
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import build_minutes, render_bytes

CAT = default_catalog()
M2 = "M-C2-02"


def _label(list_name, code):
    return CAT.label_or_code(list_name, code, code)


def _session(dataset, mid=M2):
    world = World.from_dataset(dataset)
    return MeetingSession(dataset, world, mid, today=DEMO_TODAY)


def test_a_body_attends_without_a_person_and_needs_a_name_or_a_body():
    ds = load_demo(DEMO_TODAY)
    s = _session(ds)
    with pytest.raises(SessionError) as exc:
        s.add_guest("", org_name=" ", role="PARTNER")
    assert "部署名" in exc.value.message
    before = s.quorum().text
    s.add_guest("", org_name="相談支援事業所みほん", role="PARTNER")
    s.add_guest("", org_name="障害福祉課", role="SECRETARIAT")
    assert s.quorum().text == before                       # neither counts toward the quorum
    rows = roster_rows(s.world, s.meeting.council_id, s.record.attendance, label=_label)
    by_name = {r.name: r for r in rows}
    assert by_name["相談支援事業所みほん"].role_label == "関係機関"
    assert by_name["相談支援事業所みほん"].org == ""          # the body's name said once
    assert by_name["障害福祉課"].role_label == "事務局"


def test_speaker_keys_never_move_when_a_name_is_typed():
    att = [Attendance(id="a1", meeting_id="M", org_name="高齢福祉課", role_in_meeting="DEPARTMENT")]
    before = speaker_choices(att, _label, summary_code="SUMMARY")
    after = speaker_choices(att, _label, summary_code="SUMMARY",
                            typed=[("DEPARTMENT", "障害福祉課"), ("PARTNER", "相談支援事業所みほん")])
    assert after[:len(before)] == before                    # same position = same speaker
    assert [c for c, _ in after[len(before):]] == ["DEPT:障害福祉課", "PARTNER:相談支援事業所みほん"]
    codes = [c for c, _ in before]
    assert codes.index("SUMMARY") < codes.index("DEPT:") < codes.index("PARTNER:") < codes.index("DEPT:高齢福祉課")
    assert speaker_of_choice("PARTNER:相談支援事業所みほん") == ("PARTNER", "相談支援事業所みほん")
    assert speaker_of_choice("MEMBER") == ("MEMBER", "")


def test_minutes_list_bodies_under_their_own_headings():
    ds = load_demo(DEMO_TODAY)
    # a person whose label repeats the body's name (「障害福祉課 係長」 of 「みほん市 障害福祉課」)
    reg = ds["registry"]
    reg["organizations"].append({"id": "O99", "name": "みほん市 障害福祉課", "org_type": "GOV"})
    reg["persons"].append({"id": "P99", "display_name": "障害福祉課 係長", "org_id": "O99"})
    s = _session(ds)
    s.add_guest("", org_name="障害福祉課", role="SECRETARIAT")
    s.add_guest("", org_name="相談支援事業所みほん", role="PARTNER")
    s._put(Attendance(id=f"{M2}-AT999", meeting_id=M2, person_id="P99", role_in_meeting="SECRETARIAT"))
    item = next(a for a in s.record.agenda_items if a.enabled)
    s.add_statement(item.id, "PARTNER", "来月から相談窓口を広げます。", department="相談支援事業所みほん")
    with pytest.raises(SessionError):
        s.add_statement(item.id, "PARTNER", "名前のない機関", department="")
    world = World.from_dataset(s.snapshot())
    for variant in ("PUBLIC", "INTERNAL"):
        text = render_bytes(build_minutes(world, M2, variant, today=DEMO_TODAY), "md").decode("utf-8")
        lines = [line.lstrip("-*>　 ") for line in text.splitlines()]
        sec = next(line for line in lines if line.startswith("事務局　"))
        assert "障害福祉課 係長　みほん市 障害福祉課" not in text
        assert "、障害福祉課、" in sec + "、"              # the department by its name alone
        assert "、みほん市 障害福祉課 係長" in sec            # the body said once
        assert not sec.rstrip().endswith("　")
        partners = next(line for line in lines if line.startswith("関係機関　"))
        assert "相談支援事業所みほん" in partners
        assert "相談支援事業所みほん　来月から相談窓口を広げます。" in text, variant
