"""Small forms and pickers that work while Japanese input is on.

* ``ChoiceDialog``: pick one (Enter) or several (Enter toggles, ctrl+s 決定)
  from a list of (code, label).
* ``FormDialog``: a few labelled fields (text, number, date, time, one choice,
  several choices); ctrl+s saves, Esc cancels.  The caller's ``submit``
  callback runs the domain operation and returns an error message (shown in
  the dialog, nothing lost) or None (the dialog closes).  It may also return
  a dict {field name: message}: each message is shown under its field (and
  listed as 「名称: 入力してください」 at the bottom) and the first bad field
  gets the focus.

No borders and no East Asian Ambiguous characters: focus is shown by colour.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.markup import escape
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from textual.widgets.option_list import Option

from kyogitai_tui.domain.dates import DateError, parse_date, parse_time
from kyogitai_tui.ui.widgets.plain import PlainStatic, focus_now


class ChoiceDialog(ModalScreen):
    """Returns the chosen code (single) or a list of codes (multiple); None on Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "やめる", id="choice.cancel"),
        Binding("ctrl+s", "done", "決定", id="choice.done"),
    ]
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical { width: 70; max-width: 95%; height: auto; max-height: 80%;
        background: $panel; padding: 1 2; }
    ChoiceDialog OptionList { height: auto; max-height: 20; border: none; background: $panel; }
    ChoiceDialog .dialog-title { text-style: bold; }
    """

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], *,
                 selected: Sequence[str] | str | None = None, multiple: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.multiple = multiple
        if isinstance(selected, str):
            selected = [selected]
        self.selected: list[str] = list(selected or [])

    def _prompt(self, code: str, label: str) -> Text:
        # plain Text, never markup: "[x]" would be read as a style tag and
        # vanish, and a name typed with "[" could break the dialog
        if not self.multiple:
            return Text(label)
        return Text(f"[{'x' if code in self.selected else ' '}] {label}")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlainStatic(self.title_text, classes="dialog-title")
            hint = ("Enter で選択・解除、ctrl+s で決定、Esc でやめる" if self.multiple
                    else "上下キーで選び Enter で決定、Esc でやめる")
            yield PlainStatic(hint, classes="hint")
            yield OptionList(*[Option(self._prompt(c, l), id=c) for c, l in self.choices], id="choices")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        focus_now(ol)
        if self.selected and not self.multiple:
            for i, (code, _) in enumerate(self.choices):
                if code == self.selected[0]:
                    ol.highlighted = i

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        code = event.option.id
        if not self.multiple:
            self.dismiss(code)
            return
        if code in self.selected:
            self.selected.remove(code)
        else:
            self.selected.append(code)
        label = dict(self.choices)[code]
        event.option_list.replace_option_prompt(code, self._prompt(code, label))

    def action_done(self) -> None:
        if self.multiple:
            order = [c for c, _ in self.choices]
            self.dismiss(sorted(self.selected, key=order.index))
        else:
            ol = self.query_one(OptionList)
            if ol.highlighted is not None:
                self.dismiss(self.choices[ol.highlighted][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"            # text | int | date | time | choice | multi
    choices: Sequence[tuple[str, str]] = ()
    value: Any = None
    required: bool = False
    placeholder: str = ""


class ChoiceField(Static, can_focus=True):
    """Shows the current choice; Enter opens the picker, left/right cycle."""

    BINDINGS = [
        Binding("enter", "pick", "選ぶ", id="field.pick", show=False),
        Binding("right", "cycle(1)", "次", id="field.next", show=False),
        Binding("left", "cycle(-1)", "前", id="field.prev", show=False),
    ]
    DEFAULT_CSS = """
    ChoiceField { height: auto; width: 1fr; background: $boost; padding: 0 1; }
    ChoiceField:focus { background: $accent 40%; }
    """

    def __init__(self, fld: Field, **kw: Any) -> None:
        super().__init__("", **kw)
        self.field = fld
        self.multiple = fld.kind == "multi"
        if self.multiple:
            self.value = list(fld.value or [])
        else:
            self.value = fld.value if fld.value is not None else (None if not fld.choices else None)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        labels = dict(self.field.choices)
        if self.multiple:
            text = "、".join(labels.get(v, v) for v in self.value) or "（なし）"
        else:
            text = labels.get(self.value, "（未選択）") if self.value is not None else "（未選択）"
        self.update(f"{escape(text)}  [dim](Enter で選ぶ)[/dim]")   # labels may be typed names

    def action_pick(self) -> None:
        def done(result: Any) -> None:
            if result is not None:
                self.value = result
                self._show()
        self.app.push_screen(ChoiceDialog(self.field.label, self.field.choices,
                                          selected=self.value, multiple=self.multiple), done)

    def action_cycle(self, delta: int) -> None:
        if self.multiple or not self.field.choices:
            return
        codes = [c for c, _ in self.field.choices]
        i = codes.index(self.value) if self.value in codes else -1
        self.value = codes[(i + delta) % len(codes)]
        self._show()


class FieldError(ValueError):
    """A field's value could not be read: the message and which field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class FormDialog(ModalScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="form.save"),
        Binding("escape", "cancel", "やめる", id="form.cancel"),
        # priority: the focus moves when Tab is READ, so the text typed right
        # after it goes to the next field (not queued to the previous one)
        Binding("tab", "app.focus_next", "次の欄", id="form.next_field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "前の欄", id="form.prev_field", show=False,
                priority=True),
    ]
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > VerticalScroll { width: 90; max-width: 98%; height: auto; max-height: 90%;
        background: $panel; padding: 1 2; }
    FormDialog .form-row { height: auto; margin-bottom: 1; }
    FormDialog .form-label { width: 22; }
    FormDialog Input { width: 1fr; }
    FormDialog .dialog-title { text-style: bold; margin-bottom: 1; }
    FormDialog #form-error { color: $error; height: auto; }
    FormDialog .field-error { color: $error; height: auto; padding-left: 22; display: none; }
    FormDialog .field-error.shown { display: block; margin-bottom: 1; }
    FormDialog .form-row.bad { margin-bottom: 0; }
    FormDialog .form-row.bad .form-label { color: $error; text-style: bold; }
    """

    def __init__(self, title: str, fields: Sequence[Field],
                 submit: Callable[[dict], Optional[str | dict]], *, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.submit = submit
        self.note = note
        self._initial: Optional[dict] = None     # the values as the form opened
        self._ids: Optional[dict[str, Widget]] = None

    def compose(self) -> ComposeResult:
        # not focusable itself: the first field takes the focus at once (a
        # focusable box took it first, and each focus change restyled the
        # whole form), and Tab never stops on the box
        with VerticalScroll(can_focus=False):
            yield PlainStatic(self.title_text, classes="dialog-title")
            if self.note:
                yield PlainStatic(self.note, classes="hint")
            for f in self.fields:
                with Horizontal(classes="form-row"):
                    mark = "（必須）" if f.required else ""
                    yield PlainStatic(f"{f.label}{mark}", classes="form-label")
                    yield self._widget(f)
                yield PlainStatic("", id=f"error-{f.name}", classes="field-error")
            yield PlainStatic("", id="form-error")
            yield PlainStatic("ctrl+s で保存、Esc でやめる。Tab で次の欄へ。", classes="hint")

    def _widget(self, f: Field) -> Widget:
        wid = f"field-{f.name}"
        if f.kind in ("choice", "multi"):
            return ChoiceField(f, id=wid)
        value = f.value
        if value is None:
            text = ""
        elif f.kind == "date":
            text = value.isoformat()
        elif f.kind == "time":
            text = value.strftime("%H:%M")
        else:
            text = str(value)
        # a placeholder must not look like a value: an empty time is saved as 未定
        placeholder = f.placeholder or {"date": "例 2025-09-16", "time": "空欄＝未定（例 14:00）",
                                        "int": "数字"}.get(f.kind, "")
        return Input(text, placeholder=placeholder, id=wid, compact=True)

    def named(self, widget_id: str) -> list[Widget]:
        """The widget with this id in the form, as a list of none or one (a
        subclass may lay out its own rows). Looked up in a map of the form's
        ids made once: a CSS query walked the whole form for each field, at
        each open, change check and save."""
        widget = (self._ids or {}).get(widget_id)
        if widget is None or not widget.is_attached:
            self._ids = {w.id: w for w in self.walk_children() if w.id}
            widget = self._ids.get(widget_id)
        return [widget] if widget is not None else []

    def on_mount(self) -> None:
        first = self.named(f"field-{self.fields[0].name}") if self.fields else []
        if first:
            focus_now(first[0])
        self._initial = self.raw_values()
        # what was typed right after the key that opened the form, before
        # it could take the focus (ui/app.py on_key)
        if first and isinstance(first[0], Input):
            early = self.app.take_typed_ahead()
            if early:
                first[0].insert_text_at_cursor(early)

    def raw_values(self) -> dict:
        """What the fields hold now, as typed (to see whether anything changed)."""
        out = {}
        for f in self.fields:
            for w in self.named(f"field-{f.name}"):
                v = w.value
                out[f.name] = list(v) if isinstance(v, list) else v
        return out

    def changed(self) -> bool:
        return self._initial is not None and self.raw_values() != self._initial

    def values(self) -> dict:
        """Field values parsed; raises ValueError with a Japanese message."""
        out: dict = {}
        for f in self.fields:
            w = self.named(f"field-{f.name}")[0]
            if isinstance(w, ChoiceField):
                v = w.value
                if f.required and (v is None or v == []):
                    raise FieldError(f"「{f.label}」を選んでください。", f.name)
                out[f.name] = v
                continue
            text = w.value.strip()
            if not text:
                if f.required:
                    raise FieldError(f"「{f.label}」を入力してください。", f.name)
                out[f.name] = None if f.kind != "text" else ""
                continue
            if f.kind == "int":
                norm = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
                if not norm.isdigit():
                    raise FieldError(f"「{f.label}」は数字で入力してください（例: 10）。", f.name)
                out[f.name] = int(norm)
            elif f.kind == "date":
                try:
                    out[f.name] = parse_date(text)
                except DateError as exc:
                    raise FieldError(f"「{f.label}」: {exc}", f.name) from None
            elif f.kind == "time":
                try:
                    out[f.name] = parse_time(text)
                except DateError as exc:
                    raise FieldError(f"「{f.label}」: {exc}", f.name) from None
            else:
                out[f.name] = text
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in a text field moves on; on the last one it saves.
        inputs = [w for w in self.query("Input, ChoiceField")]
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def show_field_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field (the others cleared), the list at the
        bottom, the focus on the first bad field."""
        labels = {f.name: f.label.removesuffix("（必須）") for f in self.fields}
        first = None
        for f in self.fields:
            msg = errors.get(f.name, "")
            for box in self.named(f"error-{f.name}"):     # a subclass may lay out its own rows
                box.update(msg)
                box.set_class(bool(msg), "shown")
            for widget in self.named(f"field-{f.name}"):
                if widget.parent is not None:
                    widget.parent.set_class(bool(msg), "bad")
            if msg and first is None:
                first = f.name
        lines = [msg if name not in labels or f"「{labels[name]}」" in msg else f"{labels[name]}: {msg}"
                 for name, msg in errors.items()]
        self.query_one("#form-error", Static).update("\n".join(lines))
        for widget in self.named(f"field-{first}") if first is not None else []:
            widget.focus()
            widget.scroll_visible()

    def action_save(self) -> None:
        error = self.query_one("#form-error", Static)
        try:
            values = self.values()
        except FieldError as exc:
            self.show_field_errors({exc.field: str(exc)})
            error.update(str(exc))
            return
        except ValueError as exc:
            error.update(str(exc))
            return
        problem = self.submit(values)
        if isinstance(problem, dict):
            if problem:
                self.show_field_errors(problem)
                return
        elif problem:
            self.show_field_errors({})
            error.update(problem)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        """Esc: close at once when nothing was typed; otherwise ask first, so a
        filled form is never thrown away by one key."""
        if not self.changed():
            self.dismiss(None)
            return

        def answer(code) -> None:
            if code == "discard":
                self.dismiss(None)

        self.app.push_screen(ChoiceDialog("入力を破棄しますか（保存していない入力は消えます）",
                                          [("keep", "入力に戻る"), ("discard", "破棄して閉じる")]), answer)
