"""The add / edit form of a register and the consent form.

The fields come from ``registry_specs.fields(kind)``; the values are checked
by ``registry_edit.validate`` and every message is shown at its field
(FormDialog's per-field errors).  For a subject (対象者) the form has no name
or address field by design, and ``registry_members.identification_warnings`` is
shown before saving: a second ctrl+s saves anyway.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from kyogitai_tui.domain.registry import edit as registry_edit
from kyogitai_tui.domain.registry import members as registry_members
from kyogitai_tui.domain.registry import specs as registry_specs
from kyogitai_tui.ui.host import WORLD_CATCHING_UP
from kyogitai_tui.ui.widgets.forms import Field, FormDialog

YES_NO = [("yes", "はい"), ("no", "いいえ")]
FORM_KIND = {"text": "text", "int": "int", "date": "date", "choice": "choice", "multi": "multi",
             "ref": "choice", "refs": "multi", "bool": "choice"}
PRIVACY_NOTE = ("対象者は仮名（Aさんなど）と年代・世帯・圏域だけで登録します。"
                "氏名・住所・病名は入れないでください。")


BUSY = WORLD_CATCHING_UP


def busy(app) -> Optional[str]:
    """Why a register edit cannot be computed now (``app.outside_edit_blocked``)."""
    return app.outside_edit_blocked()


def apply(app, changes) -> None:
    app.apply_changes(changes)


def _choices(app, spec) -> list[tuple[str, str]]:
    if spec.kind == "bool":
        return list(YES_NO)
    if spec.kind in ("choice", "multi", "ref", "refs"):
        return list(registry_specs.choices(app.world, app.catalog, spec))
    return []


def _with_current(app, spec, choices: list[tuple[str, str]], value: Any) -> list[tuple[str, str]]:
    """A record may refer to one retired since: it stays selected, by name."""
    codes = {c for c, _ in choices}
    extra = [v for v in (value if isinstance(value, list) else [value])
             if v not in (None, "") and v not in codes]
    every = registry_specs.records(app.world, spec.ref_kind) if spec.ref_kind and extra else {}

    def name(v: str) -> str:
        rec = every.get(v)
        return getattr(rec, "name", None) or getattr(rec, "display_name", None) or v
    return choices + [(v, f"{name(v)}（休止中）") for v in extra]


def form_fields(app, kind: str, values: dict) -> list[Field]:
    out = []
    for spec in registry_specs.fields(kind):
        value = values.get(spec.name)
        choices = _choices(app, spec)
        if spec.kind == "bool":
            value = None if value is None else ("yes" if value else "no")
        elif spec.kind in ("choice", "ref", "multi", "refs"):
            choices = _with_current(app, spec, choices, value)
        if spec.kind == "int" and value is not None:
            value = str(value)
        # required is checked by registry_edit.validate, which lists every
        # missing field at once (FormDialog would stop at the first one)
        label = f"{spec.label}（必須）" if spec.required else spec.label
        out.append(Field(spec.name, label, kind=FORM_KIND.get(spec.kind, "text"),
                         choices=choices, value=value, required=False,
                         placeholder=spec.help if spec.kind == "text" else ""))
    return out


def model_values(kind: str, form_values: dict) -> dict:
    """The form's values as registry_edit takes them: はい/いいえ back to a
    bool; a yes/no left unchosen is left out, so the domain's default applies
    (e.g. 地縁組織 follows the organisation's type)."""
    out = dict(form_values)
    for spec in registry_specs.fields(kind):
        if spec.kind == "bool" and spec.name in out:
            if out[spec.name] is None:
                del out[spec.name]
            else:
                out[spec.name] = out[spec.name] == "yes"
    return out


class RegistryForm(FormDialog):
    """A FormDialog that remembers which values it warned about."""

    DEFAULT_CSS = """
    RegistryForm .form-label { width: 27; }
    RegistryForm .field-error { padding-left: 27; }
    """

    warned: Optional[dict] = None


def open_form(app, kind: str, editing_id: Optional[str],
              on_saved: Optional[Callable[[Optional[str]], None]] = None, *,
              initial: Optional[dict] = None, note: str = "") -> None:
    """``initial``: values a NEW record's form starts with (the set-up's
    proposals, e.g. 「○○村全域」); ``note`` replaces the form's hint line."""
    title = registry_specs.KINDS.get(kind, kind)
    values = registry_edit.values_of(app.world, kind, editing_id) if editing_id else dict(initial or {})
    fields = form_fields(app, kind, values)
    saved: dict = {}

    def submit(form_values: dict):
        if busy(app):
            return busy(app)
        world, catalog = app.world, app.catalog
        vals = model_values(kind, form_values)
        errors = registry_edit.validate(world, catalog, kind, vals, editing_id=editing_id)
        if errors:
            return dict(errors)
        if kind == "subjects":
            warnings = registry_members.identification_warnings(world, vals)
            if warnings and dialog.warned != vals:
                dialog.warned = vals
                return ("注意: " + " ".join(warnings) +
                        "\n書き方を見直すか、このまま保存するときはもう一度 ctrl+s を押してください。")
        try:
            changes = registry_edit.save(world, catalog, kind, vals, editing_id=editing_id, today=app.today)
        except registry_edit.RegistryError as exc:
            return dict(exc.errors) if exc.errors else exc.message
        saved["id"] = _saved_id(kind, changes, editing_id)
        apply(app, changes)
        return None

    def done(result) -> None:
        if result is None:
            return
        app.notify(f"{title}を{'修正' if editing_id else '登録'}しました。")
        if on_saved is not None:
            on_saved(saved.get("id"))

    heading = f"{title}の{'修正' if editing_id else '追加'}"
    note = note or (PRIVACY_NOTE if kind == "subjects" else "ctrl+s で保存します。必須の欄は入力してください。")
    dialog = RegistryForm(heading, fields, submit, note=note)
    app.push_screen(dialog, done)


def _saved_id(kind: str, changes: list, editing_id: Optional[str]) -> Optional[str]:
    if editing_id:
        return editing_id
    table = registry_specs.TABLE_OF[kind]
    for ch in changes:
        if getattr(ch, "table", None) == table:
            return ch.doc_id
    return changes[0].doc_id if changes else None


def open_consent(app, kind: str, ident: str) -> None:
    """F6: the subject's (or the individual network's subject's) consent."""
    world = app.world
    subject_id = ident
    if kind == "individual_networks":
        net = world.individual_networks.get(ident)
        subject_id = net.subject_id if net is not None else ident
    about = world.subject_label(subject_id)
    subject = world.subjects.get(subject_id)
    orgs = [(oid, o.name) for oid, o in sorted(
        registry_specs.records(world, "organizations", include_retired=False).items())]
    statuses = list(app.catalog.labels("consent_statuses").items())
    fields = [
        Field("status", "同意の状況", kind="choice", choices=statuses,
              value=subject.consent_status if subject else None, required=True),
        Field("date", "日付", kind="date", value=app.today),
        Field("scope", "共有してよい先", kind="multi", choices=orgs),
    ]

    def submit(v: dict):
        if busy(app):
            return busy(app)
        try:
            changes = registry_members.record_consent(world, subject_id, v["status"], v["date"],
                                                   list(v["scope"] or []), app.today)
        except registry_edit.RegistryError as exc:
            return dict(exc.errors) if exc.errors else exc.message
        apply(app, changes)
        return None

    def done(result) -> None:
        if result is not None:
            app.notify(f"{about} の同意を「{app.label('consent_statuses', result['status'])}」と記録しました。")

    app.push_screen(FormDialog(f"{about} の情報共有の同意", fields, submit,
                               note="取得済になるまで、他制度の連携先への共有はできません。"), done)


def open_need(app, network_id: str) -> None:
    """F3 on an individual network: a need (必要な支援) and its state."""
    world = app.world
    net = world.individual_networks.get(network_id)
    about = world.subject_label(net.subject_id) if net is not None else network_id
    fields = [
        Field("service_category", "支援の種類（必須）", kind="choice",
              choices=list(app.catalog.labels("service_categories").items())),
        Field("status", "状況（必須）", kind="choice",
              choices=list(app.catalog.labels("need_statuses").items()), value="UNMET"),
        Field("note", "メモ", placeholder="例: 坂道で買い物に行けなくなった"),
    ]

    def submit(v: dict):
        if busy(app):
            return busy(app)
        try:
            changes = registry_members.add_need(app.world, app.catalog, network_id, v["service_category"] or "",
                                             v["status"] or "", v["note"] or "", app.today)
        except registry_edit.RegistryError as exc:
            return dict(exc.errors) if exc.errors else exc.message
        apply(app, changes)
        return None

    def done(result) -> None:
        if result is not None:
            app.notify(f"{about} の必要な支援を追加しました。")

    app.push_screen(RegistryForm(f"{about} の必要な支援", fields, submit,
                                 note="本人が特定される書き方や病名などは書かないでください。"), done)
