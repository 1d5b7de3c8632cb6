"""CSV import/export of organisations, persons and provider networks (issue 6):
encodings as Excel writes them, every bad row listed by line with its reason,
all-or-nothing apply, templates, and export that reads back unchanged."""
from __future__ import annotations

import re

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from kyogitai_tui.domain.registry import csv_io as C
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.registry.values import parse_any_date
from kyogitai_tui.domain.changes import apply_to_dataset
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_dataset, demo_world: the demo written for that day
CAT = default_catalog()

ORG_HEADER = "団体名,種別,活動範囲,圏域,提供するサービス,地縁組織\r\n"
GOOD_ORGS = (ORG_HEADER
             + "みほん見守りの会,ボランティア団体,日常生活圏域,北みほん圏域,見守り・安否確認;配食,いいえ\r\n"
             + "架空配食サービス,BUSINESS,市町村域,,配食,\r\n")


# ---------------------------------------------------------------- reading

@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_reads_excel_encodings(encoding):
    data = GOOD_ORGS.encode(encoding)
    table = C.read_csv(data)
    assert table.header[0] == "団体名"
    assert [r.line for r in table.rows] == [2, 3]
    assert table.rows[0].cells["提供するサービス"] == "見守り・安否確認;配食"
    assert table.encoding == {"utf-8-sig": "utf-8-sig"}.get(encoding, encoding)


def test_refuses_workbook_and_binary_with_japanese_message(tmp_path):
    with pytest.raises(C.CsvError) as exc:
        C.read_csv(b"PK\x03\x04\x14\x00rest-of-a-zip")
    assert "CSV" in exc.value.message and "保存" in exc.value.message
    with pytest.raises(C.CsvError) as exc:
        C.read_csv("団体名\n".encode("utf-16"))
    assert "CSV" in exc.value.message
    with pytest.raises(C.CsvError) as exc:
        C.read_csv(tmp_path / "ない.csv")
    assert "開けません" in exc.value.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_reader_never_crashes_on_arbitrary_bytes(data):
    try:
        table = C.read_csv(data)
    except C.CsvError as exc:
        assert any("\u3040" <= ch <= "\u30ff" for ch in exc.message)
    else:
        assert all(r.line >= 2 for r in table.rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                                  max_size=12), min_size=4, max_size=5), max_size=4),
       st.sampled_from(C.CSV_KINDS))
def test_preview_never_crashes_on_arbitrary_cells(cells, kind):
    world = _WORLD
    header = ",".join(C.header_labels(kind)[1:5])
    buf = io.StringIO()
    csv.writer(buf).writerows(cells)
    data = (header + "\r\n" + buf.getvalue()).encode("utf-8")
    pv = C.preview(world, CAT, kind, C.read_csv(data), TODAY)
    assert all(isinstance(line, int) and reason for line, reason in pv.problems)
    assert len(pv.good) + pv.unchanged <= len(cells)
    assert pv.problems or pv.good or pv.unchanged


_WORLD = World.from_dataset(load_demo(TODAY))


def test_scaled_data_round_trips_every_kind():
    from kyogitai_tui.domain.demo import generate_scaled
    world = World.from_dataset(generate_scaled(2, today=TODAY))
    for kind in C.CSV_KINDS:
        pv = C.preview(world, CAT, kind, C.read_csv(C.export_csv(world, CAT, kind)), TODAY)
        assert pv.problems == [] and pv.changes == [], kind


def test_dates_iso_and_wareki():
    assert parse_any_date("令和7年9月16日") == date(2025, 9, 16)
    assert parse_any_date("R7.9.16") == date(2025, 9, 16)
    assert parse_any_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_any_date("２０２５／９／１６") == date(2025, 9, 16)
    for bad in ("2025-02-30", "令和0年4月1日", "平成31年5月1日", "きのう"):
        with pytest.raises(ValueError) as exc:
            parse_any_date(bad)
        assert bad in str(exc.value)


# ---------------------------------------------------------------- preview

def test_good_file_previews_and_applies(demo_dataset, demo_world):
    pv = C.preview(demo_world, CAT, "organizations", C.read_csv(GOOD_ORGS.encode("cp932")), TODAY)
    assert pv.problems == [] and pv.added == 2
    w = World.from_dataset((apply_to_dataset(demo_dataset, C.apply(pv)), demo_dataset)[1])
    new = {o.name: o for o in w.organizations.values()}
    assert new["みほん見守りの会"].service_categories == ["WATCH", "MEALS"]
    assert new["みほん見守りの会"].area_ids == ["AR1"]
    assert new["架空配食サービス"].org_type == "BUSINESS"
    assert len({o.id for o in w.organizations.values()}) == len(w.organizations) == 34


def test_every_bad_row_is_listed_by_line_with_reason(demo_world):
    text = (ORG_HEADER
            + "よい団体,NPO・住民互助団体,市町村域,,,\r\n"          # 2 ok
            + ",NPO,市町村域,,,\r\n"                               # 3 missing name
            + "謎の会,宇宙団体,市町村域,,,\r\n"                     # 4 unknown kind
            + "ＡＢＣ会,NPO,市町村域,,,\r\n"                        # 5 ok
            + "abc会,NPO,市町村域,,,\r\n"                          # 6 duplicate of line 5
            + "みほん市社会福祉協議会,SHAKYO,市町村域,,,\r\n"         # 7 duplicate of existing
            + "圏域違い,NPO,日常生活圏域,西圏域,,\r\n")             # 8 unknown area
    pv = C.preview(demo_world, CAT, "organizations", C.read_csv(text.encode("utf-8-sig")), TODAY)
    by_line = {}
    for line, reason in pv.problems:
        by_line.setdefault(line, []).append(reason)
    assert sorted(by_line) == [3, 4, 6, 7, 8]
    assert "団体名" in by_line[3][0] and "入力" in by_line[3][0]
    assert "宇宙団体" in by_line[4][0] and "種別" in by_line[4][0]
    assert "5行目と同じ名前" in by_line[6][0]
    assert "O02" in by_line[7][0]
    assert "西圏域" in by_line[8][0]
    with pytest.raises(C.CsvError) as exc:
        C.apply(pv)
    assert "5行" in exc.value.message


def test_provider_network_rows_with_members_and_bad_date(demo_dataset, demo_world):
    text = ("ネットワーク名,種別,サービスの種類（同種）,カバーする地域,圏域,かたち,最後の会合,構成団体,リーダー\r\n"
            "南みほん配食連絡会,同種事業者間ネットワーク,配食,日常生活圏域,南みほん圏域,会合型,令和7年8月1日,O20;架空ケアプランセンター北,P14\r\n"
            "見守り連絡会,同種事業者間ネットワーク,,市町村域,,会合型,2025-02-30,O20,\r\n"
            "謎の連絡会,異種事業者間ネットワーク,,市町村域,,会合型,令和0年4月1日,O99,\r\n")
    pv = C.preview(demo_world, CAT, "provider_networks", C.read_csv(text.encode("cp932")), TODAY)
    reasons = dict((line, r) for line, r in reversed(pv.problems))
    assert [line for line, _ in pv.problems if line == 3] and [line for line, _ in pv.problems if line == 4]
    assert any("2025-02-30" in r for line, r in pv.problems if line == 3)
    assert any("サービスの種類" in r for line, r in pv.problems if line == 3)
    assert any("令和0年" in r for line, r in pv.problems if line == 4)
    assert any("O99" in r and "構成団体" in r for line, r in pv.problems if line == 4)
    assert 2 not in reasons
    # only the good row: applied, members written
    good = C.preview(demo_world, CAT, "provider_networks", C.read_csv(text.split("\r\n")[0].encode() + b"\r\n"
                     + text.split("\r\n")[1].encode()), TODAY)
    assert good.problems == []
    apply_to_dataset(demo_dataset, C.apply(good))
    w = World.from_dataset(demo_dataset)
    net = next(n for n in w.provider_networks.values() if n.name == "南みほん配食連絡会")
    assert net.provider_category == "MEALS" and net.area_id == "AR3" and net.last_met_on == date(2025, 8, 1)
    assert {o.id for o in w.network_members(net.id)} == {"O20", "O13"}
    assert net.leader_person_id == "P14"


def test_ids_in_the_file_update_create_or_are_refused(demo_dataset, demo_world):
    text = ("ID,団体名,種別,活動範囲\r\n"
            "O01,みほん市 高齢福祉課（改）,行政,市町村域\r\n"      # 2 update
            "X-100,新しい会,NPO,市町村域\r\n"                   # 3 new with its own id
            "X-100,もう一つの会,NPO,市町村域\r\n"                # 4 same id again
            "P01,人のIDの会,NPO,市町村域\r\n"                    # 5 id of a person
            "あ い,空白の会,NPO,市町村域\r\n")                   # 6 not an id
    pv = C.preview(demo_world, CAT, "organizations", C.read_csv(text.encode("utf-8")), TODAY)
    assert [line for line, _ in pv.problems] == [4, 5, 6]
    assert "3行目" in pv.problems[0][1]
    assert (pv.added, pv.updated) == (1, 1)
    ok = C.preview(demo_world, CAT, "organizations", C.read_csv("\r\n".join(text.split("\r\n")[:3]).encode()), TODAY)
    apply_to_dataset(demo_dataset, C.apply(ok))
    w = World.from_dataset(demo_dataset)
    assert w.organizations["O01"].name == "みほん市 高齢福祉課（改）"
    assert w.organizations["X-100"].name == "新しい会"
    assert w.organizations["O01"].notes == "協議体の事務局"   # columns not in the file are kept


def test_unknown_and_missing_columns_are_problems_of_row_1(demo_world):
    pv = C.preview(demo_world, CAT, "organizations", C.read_csv("団体名,種類\r\nA会,NPO\r\n".encode()), TODAY)
    lines = [line for line, _ in pv.problems]
    assert set(lines) == {1}
    text = " ".join(r for _, r in pv.problems)
    assert "「種類」" in text and "「種別」" in text


def test_persons_import_with_org_by_name_and_coordinator(demo_dataset, demo_world):
    text = ("氏名,所属,役職,コーディネーターの層,コーディネーターの所属区分,担当圏域\r\n"
            "試作 花子,みほん市社会福祉協議会,主任,第2層,社協,南みほん圏域\r\n"
            "試作 次郎,,,,,\r\n")
    pv = C.preview(demo_world, CAT, "persons", C.read_csv(text.encode("cp932")), TODAY)
    assert pv.problems == [] and pv.added == 2
    apply_to_dataset(demo_dataset, C.apply(pv))
    w = World.from_dataset(demo_dataset)
    hanako = next(p for p in w.persons.values() if p.display_name == "試作 花子")
    assert hanako.org_id == "O02"
    assert any(c.person_id == hanako.id and c.tier == 2 for c in w.coordinators.values())
    assert len(w.persons) == 27


# ---------------------------------------------------------------- export / template

@pytest.mark.parametrize("kind", C.CSV_KINDS)
def test_template_is_the_header_and_the_allowed_values_utf8_bom(demo_world, kind):
    """The template lists what each choice column takes on a 「#選択肢」 row
    that the import skips: filled in below it, it imports as it is."""
    data = C.template_csv(kind)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == 2 and text.startswith("ID,")
    table = C.read_csv(data)
    assert [r.cells["ID"] for r in table.rows] == ["#選択肢"]
    choices = table.rows[0].cells
    if kind == "organizations":
        assert choices["種別"].startswith("選択肢：行政、社会福祉協議会")
        assert "はい、いいえ" in choices["地縁組織"]
    pv = C.preview(demo_world, CAT, kind, table, TODAY)
    assert pv.problems == [(2, "取り込む行がありません（見出しだけのファイルです）。")]


def test_template_filled_in_imports_and_a_wrong_choice_lists_the_allowed_values(demo_world):
    data = C.template_csv("organizations").decode("utf-8-sig")
    good = data + "\r\n".join([",試作の会,NPO・住民互助団体,いいえ,NPO法人,,日常生活圏域,,,,",
                                ",違う種別の会,町内会ぽいもの,いいえ,,,日常生活圏域,,,,", ""])
    pv = C.preview(demo_world, CAT, "organizations", C.read_csv(good.encode("utf-8-sig")), TODAY)
    assert [g[2] for g in pv.good] == ["試作の会"]
    (line, msg), = pv.problems
    assert line == 4
    assert "「町内会ぽいもの」は「種別」の選択肢にありません。選べるもの：行政、社会福祉協議会" in msg


def test_export_names_the_leader_by_name(demo_world):
    text = C.export_csv(demo_world, CAT, "provider_networks").decode("utf-8-sig")
    import csv as _csv
    import io as _io
    leaders = [r["リーダー"] for r in _csv.DictReader(_io.StringIO(text)) if r["リーダー"]]
    assert leaders and not any(re.fullmatch(r"P\d+", x) for x in leaders), leaders


@pytest.mark.parametrize("kind", C.CSV_KINDS)
def test_export_reads_back_unchanged(demo_world, kind):
    data = C.export_csv(demo_world, CAT, kind)
    assert data.startswith(b"\xef\xbb\xbf")
    table = C.read_csv(data)
    assert len(table.rows) == len(C.records(demo_world, kind, include_retired=False))
    pv = C.preview(demo_world, CAT, kind, table, TODAY)
    assert pv.problems == [] and pv.changes == [] and pv.unchanged == len(table.rows)


def test_export_into_empty_registry_recreates_organizations(demo_dataset, demo_world):
    data = C.export_csv(demo_world, CAT, "organizations")
    empty = dict(demo_dataset, registry=dict(demo_dataset["registry"], organizations=[], persons=[], provider_networks=[],
                                   provider_network_members=[]))
    w0 = World.from_dataset(empty)
    pv = C.preview(w0, CAT, "organizations", C.read_csv(data), TODAY)
    assert pv.problems == [] and pv.added == len(demo_world.organizations)
    apply_to_dataset(empty, C.apply(pv))
    w1 = World.from_dataset(empty)
    cols = [f.name for f in C._csv_fields("organizations")]
    def shown(w):
        return {k: [getattr(v, c) for c in cols] for k, v in w.organizations.items()}
    assert shown(w1) == shown(demo_world)


@pytest.mark.demo_today(TODAY)
def test_failed_import_leaves_registry_byte_identical(demo_root):
    root = demo_root
    before = (root / "registry.json").read_bytes()
    bad = (ORG_HEADER + "ok会,NPO,市町村域,,,\r\n" + ",NPO,市町村域,,,\r\n").encode("cp932")
    with DataStore.open(root) as store:
        world = World.from_dataset(store.load_dataset())
        pv = C.preview(world, CAT, "organizations", C.read_csv(bad), TODAY)
        with pytest.raises(C.CsvError):
            C.write(store, C.apply(pv))
    assert (root / "registry.json").read_bytes() == before
    with DataStore.open(root) as store:
        world = World.from_dataset(store.load_dataset())
        pv = C.preview(world, CAT, "organizations", C.read_csv(GOOD_ORGS.encode("cp932")), TODAY)
        C.write(store, C.apply(pv))
    with DataStore.open(root) as store:
        names = {d["name"] for d in store.all("organizations")}
    assert {"みほん見守りの会", "架空配食サービス"} <= names
