"""The registers (F7 登録データ) driven with keys as a coordinator would: add an
organisation, a provider network with members, a subject and an individual
network, then see them in the live meeting 第3回 of 北みほん支え合い会議;
validation at the field; retire and reactivate; what reached the disk.
CSV import/export is in test_ui_registry_csv.py."""
from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.domain.registry import specs as registry_specs
from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.store import DataStore
from kyogitai_tui.ui.app import KyogitaiApp
from kyogitai_tui.ui.screens.registry import RegisterListScreen, RegistryScreen
from kyogitai_tui.ui.screens.registry_members import MembersScreen
from kyogitai_tui.ui.widgets.forms import ChoiceDialog, ChoiceField, FormDialog
from ui_helpers import assert_unambiguous, screen_text

TODAY = date(2025, 9, 16)
pytestmark = pytest.mark.demo_today(TODAY)  # demo_root: the demo written for that day
M3 = "M-C2-03"


def make_app(store) -> KyogitaiApp:
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=TODAY, export_dir=store.root.parent / "exports")


def reopen(root) -> World:
    with DataStore.open(root) as store:
        return World.from_dataset(store.load_dataset())


async def settle(app, pilot) -> None:
    """Let the World rebuild (a thread) reach the screens."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_kind(app, pilot, kind: str) -> RegisterListScreen:
    while not isinstance(app.screen, RegistryScreen):
        if isinstance(app.screen, (RegisterListScreen, MembersScreen)):
            await pilot.press("escape")
        else:
            await pilot.press("f7")
        await pilot.pause()
    ol = app.screen.query_one("#kinds", OptionList)
    ol.highlighted = list(registry_specs.KINDS).index(kind)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, RegisterListScreen) and app.screen.kind == kind
    return app.screen


async def choose(app, pilot, name: str, value) -> None:
    """Pick in a choice field through its dialog (Enter; Enter per item and
    ctrl+s for several)."""
    field = app.screen.query_one(f"#field-{name}", ChoiceField)
    field.focus()
    await pilot.press("enter")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ChoiceDialog)
    codes = [c for c, _ in dialog.choices]
    ol = dialog.query_one(OptionList)
    for code in (value if isinstance(value, list) else [value]):
        ol.highlighted = codes.index(code)
        await pilot.press("enter")
        await pilot.pause()
    if isinstance(value, list):
        await pilot.press("ctrl+s")
        await pilot.pause()


async def fill(app, pilot, **values) -> None:
    form = app.screen
    assert isinstance(form, FormDialog)
    for name, value in values.items():
        widget = form.query_one(f"#field-{name}")
        if isinstance(widget, Input):
            widget.value = value
        else:
            await choose(app, pilot, name, value)
        assert app.screen is form


async def save_form(app, pilot) -> FormDialog:
    form = app.screen
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    return form


def table_rows(screen) -> dict[str, list[str]]:
    table = screen.query_one(DataTable)
    out = {}
    for i in range(table.row_count):
        key = table.coordinate_to_cell_key((i, 0)).row_key.value
        out[key] = [str(c) for c in table.get_row_at(i)]
    return out


def error_of(form, name: str) -> str:
    return str(form.query_one(f"#error-{name}", Static).render())


async def test_add_org_network_subject_and_individual_network_then_see_them_live(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # -- an organisation: required fields are all named at once, at the field
            orgs = await open_kind(app, pilot, "organizations")
            assert_unambiguous(app, "organisations list")
            await pilot.press("f2")
            await pilot.pause()
            form = await save_form(app, pilot)
            assert app.screen is form
            assert "入力してください" in error_of(form, "name")
            assert "選択してください" in error_of(form, "org_type")
            assert "選択してください" in error_of(form, "coverage_level")
            bottom = str(form.query_one("#form-error", Static).render())
            assert "「団体名」を入力してください" in bottom and "「種別」を選択してください" in bottom
            assert_unambiguous(app, "organisation form with errors")
            await fill(app, pilot, name="架空みどり薬局 北台店", org_type="PHARMACY",
                       coverage_level="AREA", area_ids=["AR1"])
            await save_form(app, pilot)
            assert app.screen is orgs
            rows = table_rows(orgs)
            new_org = next(k for k, r in rows.items() if r[1] == "架空みどり薬局 北台店")
            assert rows[new_org][2:] == ["薬局", "日常生活圏域"]
            assert orgs.current_id() == new_org        # the new row is selected

            # -- a provider network (異種, 北みほん圏域) with members and a leader
            nets = await open_kind(app, pilot, "provider_networks")
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, name="北台買い物支え合いネット", kind="DIFF", coverage_level="AREA",
                       area_id="AR1", form="MEETING")
            await save_form(app, pilot)
            assert app.screen is nets
            net_id = nets.current_id()
            assert table_rows(nets)[net_id][1] == "北台買い物支え合いネット"
            await pilot.press("f4")
            await pilot.pause()
            members = app.screen
            assert isinstance(members, MembersScreen)
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, org_id=new_org)
            await save_form(app, pilot)
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, org_id="O05", person_id="P06", leader="yes")
            await save_form(app, pilot)
            assert app.screen is members
            member_rows = list(table_rows(members).values())
            assert [r[0] for r in member_rows] == ["架空みどり薬局 北台店",
                                                   f"{app.world.person_name('P06')}（みほん北地域包括支援センター）"]
            assert member_rows[1][1] == "リーダー"
            assert_unambiguous(app, "members")
            await pilot.press("escape")
            await pilot.pause()
            assert table_rows(nets)[net_id][4] == "2団体"

            # -- a subject (pseudonymous: no name, no address field) and its network
            subjects = await open_kind(app, pilot, "subjects")
            await pilot.press("f2")
            await pilot.pause()
            form = app.screen
            names = [f.name for f in form.fields]
            assert not {"name", "address", "display_name"} & set(names)
            await fill(app, pilot, label="Gさん", age_band="70s", sex="F", household="ELDERLY_COUPLE",
                       area_id="AR1")
            await save_form(app, pilot)
            assert app.screen is subjects
            subject_id = subjects.current_id()
            assert table_rows(subjects)[subject_id][1] == "Gさん（70代・女性・高齢夫婦）"

            inets = await open_kind(app, pilot, "individual_networks")
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, subject_id=subject_id, initiator_type="CARE_MANAGER",
                       formation_mode="SEQUENTIAL", status="FORMING")
            await save_form(app, pilot)
            assert app.screen is inets
            inet_id = inets.current_id()
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, org_id="O13", member_kind="CARE", service_text="ケアプランの作成")
            await save_form(app, pilot)
            assert list(table_rows(app.screen).values())[0][1:] == ["介護", "ケアプランの作成"]
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("f3")                       # 必要な支援
            await pilot.pause()
            form = await save_form(app, pilot)
            assert "選んでください" in error_of(form, "service_category")
            await fill(app, pilot, service_category="SHOPPING", note="坂道で買い物に行けない")
            await save_form(app, pilot)
            assert app.screen is inets

            # -- the live meeting of the council sees them (A03, A05)
            app.session = MeetingSession(app.ensure_dataset(), app.world, M3, now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            live = app.screen

            async def workspace_text(template: str) -> str:
                item = next(a for a in app.session.agenda if a.template == template)
                live.run_op(lambda: app.session.goto(item.id))
                await pilot.pause()
                ol = live._ws.query_one(OptionList)
                return "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))

            a05 = await workspace_text("A05")
            assert "北台買い物支え合いネット" in a05
            assert "構成：架空みどり薬局 北台店、みほん北地域包括支援センター" in a05
            a03 = await workspace_text("A03")
            assert "Gさん（70代・女性・高齢夫婦）  形成働きかけ中" in a03
            assert "形成者：ケアマネジャー" in a03
            assert "必要な支援：買い物支援／未充足" in a03
            app.saver.flush()

    world = reopen(demo_root)
    assert world.organizations[new_org].name == "架空みどり薬局 北台店"
    assert world.organizations[new_org].area_ids == ["AR1"]
    net = world.provider_networks[net_id]
    assert (net.kind, net.area_id, net.leader_person_id) == ("DIFF", "AR1", "P06")
    assert sorted(o.id for o in world.network_members(net_id)) == sorted([new_org, "O05"])
    assert world.subjects[subject_id].label == "Gさん"
    assert world.individual_networks[inet_id].subject_id == subject_id
    assert [m.org_id for m in world.individual_members(inet_id)] == ["O13"]
    assert [(n.service_category, n.status) for n in world.needs_of(inet_id)] == [("SHOPPING", "UNMET")]


async def test_same_kind_network_without_service_category_is_refused_at_the_field(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            nets = await open_kind(app, pilot, "provider_networks")
            before = set(table_rows(nets))
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, name="みほん市通所介護連絡会", kind="SAME", coverage_level="MUNICIPAL",
                       form="MEETING")
            form = await save_form(app, pilot)
            assert app.screen is form                       # not saved, nothing typed is lost
            msg = "同種事業者間ネットワークでは「サービスの種類（同種）」を選んでください。"
            assert error_of(form, "provider_category") == msg
            assert msg in str(form.query_one("#form-error", Static).render())
            assert form.query_one("#field-provider_category").has_focus
            assert form.query_one("#field-name", Input).value == "みほん市通所介護連絡会"
            assert_unambiguous(app, "provider network form at 80x24")
            await fill(app, pilot, provider_category="DAY_CARE")
            await save_form(app, pilot)
            assert app.screen is nets
            new = set(table_rows(nets)) - before
            assert len(new) == 1
            app.saver.flush()
    net = reopen(demo_root).provider_networks[new.pop()]
    assert (net.kind, net.provider_category) == ("SAME", "DAY_CARE")


async def test_retired_organisation_leaves_pickers_but_old_minutes_still_name_it(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            orgs = await open_kind(app, pilot, "organizations")
            table = orgs.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("O22"))
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            assert "北台サロンの会" in screen_text(app)
            await pilot.press("enter")                    # 休止する
            await settle(app, pilot)
            assert app.screen is orgs
            assert "O22" not in table_rows(orgs)
            await pilot.press("ctrl+r")                   # show the retired ones too
            await pilot.pause()
            assert table_rows(orgs)["O22"][1] == "[休止] 北台サロンの会"
            assert "休止中を含む" in str(orgs.query_one("#status", Static).render())

            # gone from the pickers: a provider network's member form
            await open_kind(app, pilot, "provider_networks")
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            field = app.screen.query_one("#field-org_id", ChoiceField)
            codes = [c for c, _ in field.field.choices]
            assert "O22" not in codes and "O21" in codes
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            app.saver.flush()

            # still named in the old meeting where it took on an action item
            app.open_meeting("M-C2-02")
            await pilot.pause()
            text = screen_text(app)
            assert "北台サロンの会" in text
            assert_unambiguous(app, "past meeting")
            await pilot.press("escape")
            await pilot.pause()

    world = reopen(demo_root)
    assert world.organizations["O22"].retired_on == TODAY
    assert world.org_name("O22") == "北台サロンの会"
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            orgs = await open_kind(app, pilot, "organizations")  # read back from disk
            assert "O22" not in table_rows(orgs)
            await pilot.press("ctrl+r")
            await pilot.pause()
            table = orgs.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("O22"))
            await pilot.press("f8")                       # 再開: no question asked
            await settle(app, pilot)
            assert table_rows(orgs)["O22"][1] == "北台サロンの会"
            app.saver.flush()
    assert reopen(demo_root).organizations["O22"].retired_on is None


async def test_subject_warning_before_saving_and_consent(demo_root):
    """A subject described so that only one person in the small 南みほん圏域
    fits: the warning comes first, a second ctrl+s saves anyway; then F6
    records consent."""
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            subjects = await open_kind(app, pilot, "subjects")
            before = set(table_rows(subjects))
            # the demo's planted case R-004 warns even when saved unchanged
            table = subjects.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("R-004"))
            await pilot.press("enter")
            await pilot.pause()
            form = await save_form(app, pilot)
            assert app.screen is form
            assert str(form.query_one("#form-error", Static).render()).startswith("注意:")
            await pilot.press("escape")
            await pilot.pause()
            table.move_cursor(row=table.get_row_index("R-001"))   # and not the others
            await pilot.press("enter")
            await pilot.pause()
            await save_form(app, pilot)
            assert app.screen is subjects
            await pilot.press("f2")
            await pilot.pause()
            await fill(app, pilot, label="Hさん", age_band="60s", household="THREE_GEN", area_id="AR3")
            form = await save_form(app, pilot)
            assert app.screen is form
            warning = str(form.query_one("#form-error", Static).render())
            assert warning.startswith("注意:") and "もう一度 ctrl+s" in warning
            assert set(table_rows(subjects)) == before or app.screen is form
            assert_unambiguous(app, "subject warning")
            await save_form(app, pilot)
            assert app.screen is subjects
            new_id = subjects.current_id()
            assert new_id not in before
            assert table_rows(subjects)[new_id][3] == "未取得"

            await pilot.press("f6")
            await pilot.pause()
            await fill(app, pilot, status="OBTAINED", scope=["O07"])
            await save_form(app, pilot)
            assert app.screen is subjects
            assert table_rows(subjects)[new_id][3] == "取得済"
            app.saver.flush()
    world = reopen(demo_root)
    assert world.subjects[new_id].consent_status == "OBTAINED"
    record = next(r for r in world.consent_records if r.subject_id == new_id)
    assert (record.obtained_on, record.scope) == (TODAY, ["O07"])


@pytest.mark.parametrize("kind", list(registry_specs.KINDS))  # one case each: they run in parallel
async def test_every_register_lists_and_edits_unchanged_without_ambiguous_characters(demo_root, kind):
    """Each kind at 80x24, then in the same app at 120x40 (the terminal
    resized): the kinds, the list, the help, the add form and the first
    record's edit form (saved unchanged: no message, the record is the same
    on disk)."""
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        before = reopen(demo_root)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for size in ((80, 24), (120, 40)):
                if app.size != size:
                    await pilot.resize_terminal(*size)
                while not isinstance(app.screen, RegistryScreen):
                    await pilot.press("escape" if isinstance(app.screen, RegisterListScreen) else "f7")
                    await pilot.pause()
                assert tuple(app.size) == size
                kinds_text = assert_unambiguous(app, f"kinds {size}")
                for title in registry_specs.KINDS.values():
                    assert title in kinds_text
                assert "団体  32件" in kinds_text and "対象者（仮名）  6件" in kinds_text
                screen = await open_kind(app, pilot, kind)
                rows = table_rows(screen)
                assert rows, kind
                text = assert_unambiguous(app, f"{kind} list {size}")
                assert f"{len(rows)}件" in text
                await pilot.press("f1")
                await pilot.pause()
                help_text = assert_unambiguous(app, f"{kind} help {size}")
                assert "追加" in help_text and "休止中も表示" in help_text
                assert ("メンバー" in help_text) == (kind in ("councils", "provider_networks",
                                                             "individual_networks"))
                await pilot.press("escape")
                await pilot.pause()
                await pilot.press("f2")
                await pilot.pause()
                assert isinstance(app.screen, FormDialog), kind
                assert_unambiguous(app, f"{kind} add form {size}")
                await pilot.press("escape")
                await pilot.pause()
                first = next(iter(rows))
                await pilot.press("enter")
                await pilot.pause()
                form = app.screen
                assert isinstance(form, FormDialog), kind
                assert_unambiguous(app, f"{kind} edit form {size}")
                await save_form(app, pilot)
                assert app.screen is screen, (kind, str(form.query_one("#form-error", Static).render()))
                assert table_rows(screen)[first] == rows[first]
            app.saver.flush()
    after = reopen(demo_root)
    assert {o.id: o.to_doc() for o in after.organizations.values()} == \
        {o.id: o.to_doc() for o in before.organizations.values()}
    assert after.councils["C1"].to_doc() == before.councils["C1"].to_doc()


async def test_members_remove_and_change_role_keep_history(demo_root):
    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            nets = await open_kind(app, pilot, "provider_networks")
            table = nets.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("PN04"))
            await pilot.press("f4")
            await pilot.pause()
            members = app.screen
            names = [r[0] for r in table_rows(members).values()]
            assert "NPO法人 架空たすけあいの会" in names
            members.query_one(DataTable).move_cursor(row=names.index("NPO法人 架空たすけあいの会"))
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.press("enter")                    # 外す
            await settle(app, pilot)
            assert app.screen is members
            assert "NPO法人 架空たすけあいの会" not in [r[0] for r in table_rows(members).values()]
            assert f"{len(names) - 1}件" in str(members.query_one("#status", Static).render())
            assert_unambiguous(app, "members 80x24")

            # F4 makes a member the leader; the leader is a person, so an
            # organisation without one is asked for a person first
            cm = next(p.id for p in app.world.persons.values() if p.org_id == "O13")
            row = [r[0] for r in table_rows(members).values()].index("架空ケアプランセンター北")
            members.query_one(DataTable).move_cursor(row=row)
            await pilot.press("f4")
            await settle(app, pilot)
            assert app.world.provider_networks["PN04"].leader_person_id != cm
            await pilot.press("enter")
            await pilot.pause()
            await fill(app, pilot, person_id=cm)
            await save_form(app, pilot)
            members.query_one(DataTable).move_cursor(row=row)
            await pilot.press("f4")
            await settle(app, pilot)
            assert app.world.provider_networks["PN04"].leader_person_id == cm
            leaders = [r[0] for r in table_rows(members).values() if r[1] == "リーダー"]
            assert leaders == [f"{app.world.person_name(cm)}（架空ケアプランセンター北）"]
            await pilot.press("escape")
            await pilot.pause()
            assert table_rows(nets)["PN04"][4] == f"{len(names) - 1}団体"

            # a council member becomes 副会長 through Enter on the row
            councils = await open_kind(app, pilot, "councils")
            table = councils.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("C2"))
            await pilot.press("f4")
            await pilot.pause()
            rows = table_rows(app.screen)
            key = next(k for k, r in rows.items() if r[0].startswith("試験 夏代"))
            app.screen.query_one(DataTable).move_cursor(row=list(rows).index(key))
            await pilot.press("enter")
            await pilot.pause()
            await fill(app, pilot, role="VICE_CHAIR")
            await save_form(app, pilot)
            assert table_rows(app.screen)[key][1] == "副会長"
            app.saver.flush()
    world = reopen(demo_root)
    npo = next(m for m in world.provider_network_members
               if m.network_id == "PN04" and world.org_name(m.org_id) == "NPO法人 架空たすけあいの会")
    assert npo.left_on == TODAY                           # ended, not deleted
    assert "NPO法人 架空たすけあいの会" not in [o.name for o in world.network_members("PN04")]
    assert next(m for m in world.council_members if m.id == key).role == "VICE_CHAIR"


async def test_a_second_save_waits_for_the_first_to_be_in_the_world(demo_root):
    """Two saves in a row: the second is computed only once the World holds
    the first (else both new records could get the same id)."""
    from kyogitai_tui.domain.registry import edit as registry_edit
    from kyogitai_tui.ui.screens.registry_form import BUSY, apply, busy

    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            values = {"name": "架空見守り隊", "org_type": "VOLUNTEER", "coverage_level": "MUNICIPAL"}
            assert busy(app) is None
            apply(app, registry_edit.save(app.world, app.catalog, "organizations", values, today=TODAY))
            assert busy(app) == BUSY
            await settle(app, pilot)
            assert busy(app) is None
            assert "架空見守り隊" in {o.name for o in app.world.organizations.values()}


async def test_read_only_store_refuses_to_save_with_a_reason(demo_root):
    with DataStore.open(demo_root) as first:
        with DataStore.open(demo_root) as second:
            assert second.read_only
            app = make_app(second)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await open_kind(app, pilot, "areas")
                await pilot.press("enter")
                await pilot.pause()
                form = await save_form(app, pilot)
                assert app.screen is form
                assert "読み取り専用" in str(form.query_one("#form-error", Static).render())


async def test_a_name_typed_right_after_f2_lands_in_the_new_form(demo_root):
    """F2 on a register list and the name at once (the terminal hands both
    over before the app reads either): the list had the focus when the
    characters were read, yet every one of them lands in the form's first
    field, in order."""
    from textual import events

    with DataStore.open(demo_root) as store:
        app = make_app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await open_kind(app, pilot, "organizations")
            app.post_message(events.Key("f2", None))
            for ch in "みほん会":
                app.post_message(events.Key(ch, ch))
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            assert isinstance(app.focused, Input) and app.focused.value == "みほん会"
            app.focused.value = ""
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, RegisterListScreen)
