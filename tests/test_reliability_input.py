"""Bad input wherever text enters: hostile text is stored and exported
faithfully or refused with a Japanese message, never a traceback.

Hostile text: 100,000 characters, C0 control characters, NUL, a lone
surrogate, emoji (with skin tone and ZWJ), combining marks, right-to-left
text with a bidi override, U+FEFF/U+FFFF. The rule for what XML 1.0 cannot
hold (NUL, other C0 controls except tab/newline/CR, lone surrogates,
U+FFFE/U+FFFF): the Word minutes drop those characters and keep the rest;
the data files and the Markdown minutes keep them (JSON escapes them), except
a lone surrogate, which no UTF-8 file can hold: it is stored as U+FFFD.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from docx import Document
from textual.widgets import Input

from kyogitai_tui.commands._common import load_data

from kyogitai_tui.cli import main as kyogitai_main

from kyogitai_tui.domain.catalog import default_catalog
from kyogitai_tui.domain.demo import load_demo
from kyogitai_tui.domain.meeting.session import MeetingSession
from kyogitai_tui.domain.world import World
from kyogitai_tui.minutes import build_minutes, render_bytes
from kyogitai_tui.store import DataStore, check_data_dir
from kyogitai_tui.ui.app import KyogitaiApp

from test_minutes_demo import docx_texts

HOSTILE = {
    "long": "長" * 99_990 + "おわり0123",
    "nul": "前\x00後",
    "controls": "ベル\x07エスケープ\x1b[31m赤\x7f削除\x0c改ページ",
    "surrogate": "壊れた\ud800文字",
    "emoji": "👵🏻と🚌と👨‍👩‍👧",
    "combining": "か\u3099とe\u0301とﾊﾟ",
    "rtl": "עברית \u202eabc\u202c العربية",
    "nonchars": "\ufeff先頭\uffff末尾",
}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def stored_form(text: str) -> str:
    """What the store keeps: everything, a lone surrogate as U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def word_form(text: str) -> str:
    """What the Word minutes keep: all but the characters XML cannot hold."""
    return NOT_XML.sub("", text)


def hostile_world() -> World:
    """The demo with each hostile text in its own statement and agenda title,
    the venue, and (shortened) the council name: page header and document title."""
    ds = load_demo(date(2025, 9, 16))
    m = ds["meetings"]["M-C2-02"]
    for i, text in enumerate(HOSTILE.values()):
        m["statements"][i]["text"] = text
        m["agenda_items"][i]["title"] = "議題" + text[:50]
    m["meeting"][0]["venue"] = "".join(t[:20] for t in HOSTILE.values())
    for c in ds["registry"]["councils"]:
        c["name"] = "".join(t[:8] for t in HOSTILE.values()) + c["name"]
    return World.from_dataset(ds)


def test_word_and_markdown_minutes_never_fail_and_keep_the_text():
    world = hostile_world()
    for variant in ("PUBLIC", "INTERNAL"):
        minutes = build_minutes(world, "M-C2-02", variant, today=date(2025, 9, 16))
        doc = Document(io.BytesIO(render_bytes(minutes, "docx")))
        body = "\n".join(docx_texts(doc))
        md = render_bytes(minutes, "md").decode("utf-8")
        assert len(doc.core_properties.title) <= 255
        for name, text in HOSTILE.items():
            assert word_form(text) in body, (variant, name)
            assert stored_form(text) in md, (variant, name)
            assert word_form(text[:8]) in body  # in the page header too


def test_the_store_keeps_hostile_text_and_every_file_stays_valid(tmp_path):
    root = tmp_path / "data"
    with DataStore.open(root, create=True) as s:
        s.create_meeting("M-1", {"statements": [{"id": "S0", "text": "最初"}]})
        for name, text in HOSTILE.items():
            s.meeting_upsert("M-1", "statements", {"id": f"S-{name}", "text": text})
        s.apply_batch([("organizations", {"id": f"O-{name}", "name": text}) for name, text in HOSTILE.items()])
        s.meeting_upsert("M-1", "statements", {"id": "S9", "text": "その後の発言"})  # later saves still work
    with DataStore.open(root) as s:
        for name, text in HOSTILE.items():
            assert s.meeting_get("M-1", "statements", f"S-{name}")["text"] == stored_form(text), name
            assert s.get("organizations", f"O-{name}")["name"] == stored_form(text), name
        ids = [d["id"] for d in s.meeting_all("M-1", "statements")]
        assert ids[0] == "S0" and ids[-1] == "S9" and len(ids) == len(HOSTILE) + 2
    assert check_data_dir(root).ok


# -- the live statement line and the new-meeting form (what a coordinator types) --

def _app(store):
    dataset, world = load_data(store)
    return KyogitaiApp(store=store, catalog=default_catalog(), world=world, dataset=dataset,
                       today=date(2025, 9, 16), clock=lambda: datetime(2025, 9, 16, 14, 5),
                       export_dir=store.root.parent)


async def test_hostile_statements_typed_live_reach_the_disk_and_the_minutes(demo_root):
    typed = [HOSTILE[k] for k in ("long", "controls", "nul", "emoji", "combining", "rtl", "surrogate")]
    with DataStore.open(demo_root) as store:
        app = _app(store)
        async with app.run_test(size=(120, 40)) as pilot:
            app.session = MeetingSession(app.dataset, app.world, "M-C2-03", now=app.clock, today=app.today)
            app.start_live()
            await pilot.pause()
            box = app.screen.query_one("#statement-input", Input)
            for text in typed:
                box.focus()
                box.value = text
                await pilot.press("enter")
                await pilot.pause()
            assert box.value == ""
            assert app.saver.flush()
            assert app.last_save_error is None
    with DataStore.open(demo_root) as store:
        world = World.from_dataset(store.load_dataset())
    saved = [s.text for s in world.meetings["M-C2-03"].statements]
    for text in typed:
        assert stored_form(text).strip() in saved
    minutes = build_minutes(world, "M-C2-03", "INTERNAL", today=date(2025, 9, 16))
    body = "\n".join(docx_texts(Document(io.BytesIO(render_bytes(minutes, "docx")))))
    md = render_bytes(minutes, "md").decode("utf-8")
    for text in typed:
        assert word_form(stored_form(text)).strip() in body
        assert stored_form(text).strip() in md
    assert check_data_dir(demo_root).ok


@pytest.mark.parametrize("held_on, venue, minutes, error", [
    ("2025-02-30", "会場", "90", "「開催日」: 「2025-02-30」は日付として読めません。2025-09-16 のように"),
    ("令和0年1月1日", "会場", "90", "「開催日」: 「令和0年1月1日」は日付として読めません。"),
    ("2025-10-21", "会場", "九十", "「会議時間（分）」は数字で入力してください（例: 10）。"),
    ("2025-10-21", "会場\x00" + "長" * 100_000 + "👵🏻\u202e", "90", None),
], ids=["impossible-date", "reiwa-0", "kanji-minutes", "hostile-venue"])
async def test_new_meeting_form_refuses_bad_dates_and_keeps_hostile_text(demo_root, held_on, venue, minutes, error):
    from textual.widgets import Static

    from kyogitai_tui.ui.screens.council import CouncilScreen

    with DataStore.open(demo_root) as store:
        app = _app(store)
        before = set(store.meeting_ids())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.push_screen(CouncilScreen("C2"))
            await pilot.pause()
            app.screen.action_new_meeting()
            await pilot.pause()
            form = app.screen
            form.query_one("#field-held_on", Input).value = held_on
            form.query_one("#field-venue", Input).value = venue
            form.query_one("#field-planned_minutes", Input).value = minutes
            await pilot.press("ctrl+s")
            await pilot.pause()
            if error:
                assert app.screen is form  # still open, saying what is wrong
                assert str(form.query_one("#form-error", Static).render()).startswith(error)
            else:
                assert app.screen is not form
            app.saver.flush()
            assert app.last_save_error is None
        after = set(store.meeting_ids())
    if error:
        assert after == before
        return
    (new,) = after - before
    with DataStore.open(demo_root) as store:
        m = World.from_dataset(store.load_dataset()).meetings[new].meeting
    assert m.held_on == date(2025, 10, 21) and m.venue == venue.strip()


# -- command-line arguments ---------------------------------------------------

@pytest.mark.parametrize("argv, said", [
    (["--today", "2025-02-30", "check"], "「2025-02-30」は日付として読めません"),
    (["--today", "令和0年1月1日", "check"], "「令和0年1月1日」は日付として読めません"),
    (["--today", "x" * 100_000, "check"], "は日付として読めません"),
    (["--today", "2025-09-16\x1b[2J", "check"], "は日付として読めません"),
    (["demo-data", "/tmp/x", "--scale", "0"], "--scale には 1 から 500 までの整数を指定してください"),
    (["demo-data", "/tmp/x", "--today", "2025-13-01"], "は日付として読めません"),
])
def test_bad_cli_arguments_are_refused_in_japanese(argv, said, capsys):
    with pytest.raises(SystemExit) as info:
        kyogitai_main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "指定が正しくありません" in err and "Traceback" not in err


@pytest.mark.parametrize("path", ["長" * 100_000, "a\x01b\x1b[31m", "👵🏻/עברית"], ids=["long", "controls", "emoji-rtl"])
def test_hostile_data_dir_arguments_get_a_japanese_message(tmp_path, path, capsys):
    target = str(tmp_path / path)
    for argv in (["check", "--data-dir", target], ["--data-dir", target],
                 ["export-minutes", "--data-dir", target, "--meeting", "latest", "--variant", "public",
                  "--format", "md", "--out", str(tmp_path)]):
        code = kyogitai_main(argv)
        err = capsys.readouterr().err
        assert code == 2, (argv[0], err)
        assert "Traceback" not in err and re.search("[ぁ-んァ-ン]", err), err


def test_demo_data_into_a_hostile_folder_name_round_trips(tmp_path, capsys):
    target = tmp_path / "デモ👵🏻 e\u0301 עברית"
    assert kyogitai_main(["demo-data", str(target), "--today", "2025-09-09"]) == 0
    assert kyogitai_main(["check", "--data-dir", str(target)]) == 0
    assert "問題は見つかりませんでした" in capsys.readouterr().out
