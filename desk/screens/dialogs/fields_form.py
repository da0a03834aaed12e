"""A form of several fields, each checked in place: the new-client form, "My profile" and
the first start's steps are this dialog with their own fields.

`FieldsForm(title, fields, save=...)` shows one line per field: a typed value (an input, or
a text area for several lines) or a choice (enter opens a picker). A field is checked when
the cursor leaves it and again on ctrl+j, by its own `check` (the service's validator, so
form and service never disagree); a mistake is shown under the field, in the error colour,
and the form stays open. Once every field passes, `save(values)` runs in a worker: a
`FieldError` it raises is shown under the field it names, any other refusal under the
form, and nothing closes. Without `save`, the form closes with the checked values. Escape
closes with None and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from msgspec import Struct
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from desk.errors import DeskError, FieldError
from desk.screens.actions.calls import describe, run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_hint
from desk.screens.safe import safe_line
from desk.screens.widgets.key_button import KeyButton
from desk.screens.widgets.safe_input import SafeInput
from desk.screens.widgets.safe_text_area import SafeTextArea
from desk.text import one_line

KEYS = "tab next field · enter chooses · {form.save} %s · {form.cancel} cancels"
"""The line of keys under the form (binding ids in braces: the keys bound now; %s is what
ctrl+j does: saves, or continues)."""
LABEL_WIDTH = 17
"""Cells for a choice's label on its button."""


class FormField(Struct, frozen=True):
    """One field of a form.

    `check(text)` reads what was typed (raising ValueError or DeskError that says what is
    wrong) and gives the value the form hands on; without it the text is handed on as
    typed. A field with `choices` ((label, value) pairs) is picked instead of typed, and
    `value` is then the value chosen at first. `multiline` fields are text areas.
    """

    name: str
    label: str
    value: Any = ""
    check: Callable[[str], Any] | None = None
    placeholder: str = ""
    choices: tuple[tuple[str, Any], ...] = ()
    multiline: bool = False


class FieldsForm(ModalScreen[Any]):
    """Several fields checked in place; dismisses with what `save` returned (or the checked
    values, without `save`), or None on escape."""

    # ctrl+j is no priority binding: it then reaches the form through the focused field,
    # after the keys typed before it, so the check reads everything typed.
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+j", "save", "Save", id="form.save"),
    ]

    def __init__(self, title: str, fields: Sequence[FormField], *,
                 save: Callable[[dict[str, Any]], Any] | None = None, note: str = "",
                 verb: str = "saves") -> None:
        """`save` runs in a worker with the checked values; `note` is a line under the
        title (desk's own words); `verb` says what ctrl+j does."""
        super().__init__()
        self.verb = verb
        self.form_title, self.fields, self.save, self.note = title, list(fields), save, note
        self.chosen: dict[str, Any] = {field.name: field.value for field in fields
                                       if field.choices}
        """The value of each choice field."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-form"):
            yield Static(safe_line(self.form_title), classes="dialog-title")
            if self.note:
                yield Static(safe_line(self.note, 200), classes="dialog-hint")
            with VerticalScroll(id="form-fields", can_focus=False):  # no stop of its own
                for field in self.fields:
                    yield from self.compose_field(field)
            yield Static("", id="form-error", classes="dialog-error")
            yield Static(key_hint(self, KEYS % self.verb), classes="dialog-hint")

    def compose_field(self, field: FormField) -> ComposeResult:
        """The field's label and editor, and the line for its mistakes."""
        if field.choices:
            yield KeyButton("", id=f"form-{field.name}", compact=True, classes="form-choice")
        elif field.multiline:
            yield Static(safe_line(field.label), classes="form-label")
            yield SafeTextArea(str(field.value), id=f"form-{field.name}", soft_wrap=True,
                               tab_behavior="focus", classes="form-text")
        else:
            with Horizontal(classes="form-row"):
                yield Static(safe_line(field.label), classes="form-label")
                yield SafeInput(str(field.value), placeholder=field.placeholder,
                                id=f"form-{field.name}", compact=True)
        error = Static("", id=f"form-{field.name}-error", classes="dialog-error form-field-error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        """Label the choices; the cursor starts in the first field."""
        for field in self.fields:
            if field.choices:
                self.show_choice(field)
        self.query_one(f"#form-{self.fields[0].name}").focus()

    def show_choice(self, field: FormField) -> None:
        """A choice's button: its label and the value chosen."""
        value = self.chosen[field.name]
        label = next((text for text, choice in field.choices if choice == value), str(value))
        # A button pads its label by one cell: one less keeps the values in one column.
        self.query_one(f"#form-{field.name}", Button).label = safe_line(
            f"{field.label:<{LABEL_WIDTH - 1}}{label}", 70)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Enter on a choice opens its picker."""
        event.stop()
        field = self.field_named((event.button.id or "").removeprefix("form-"))
        if field is not None:
            self.app.push_screen(PickScreen(field.label, field.choices),
                                 lambda value: self.picked(field, value))

    def picked(self, field: FormField, value: Any) -> None:
        """A picker closed: keep its choice (escape changes nothing)."""
        if value is not None:
            self.chosen[field.name] = value
            self.show_choice(field)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves on."""
        event.stop()
        self.focus_next()

    def on_descendant_blur(self, event: Any) -> None:
        """Check a typed field as the cursor leaves it (an untouched empty one waits for
        ctrl+j)."""
        field = self.field_named((event.widget.id or "").removeprefix("form-"))
        if field is None or field.choices or not self.is_active:
            return
        if self.text_of(field) or self.query_one(f"#form-{field.name}-error").display:
            self.show_error(field.name, self.problem(field))

    def field_named(self, name: str) -> FormField | None:
        """The field called `name`, if any."""
        return next((field for field in self.fields if field.name == name), None)

    def text_of(self, field: FormField) -> str:
        """What is typed in a typed field now."""
        editor: Widget = self.query_one(f"#form-{field.name}")
        return editor.text if isinstance(editor, TextArea) else editor.value  # type: ignore

    def problem(self, field: FormField) -> str:
        """Why the field's value is refused, or "" when it passes."""
        try:
            self.checked_value(field)
        except (ValueError, DeskError) as error:
            return str(error)
        return ""

    def checked_value(self, field: FormField) -> Any:
        """The field's value as its check reads it."""
        if field.choices:
            return self.chosen[field.name]
        text = self.text_of(field)
        return field.check(text) if field.check else text

    def show_error(self, name: str, message: str) -> None:
        """Show (or clear, for "") the mistake under a field."""
        error = self.query_one(f"#form-{name}-error", Static)
        error.update(safe_line(one_line(message, 300), 200))
        error.display = bool(message)

    def action_save(self) -> None:
        """Check every field; with a mistake, say so in place and stay. Then save in a
        worker (or close with the values)."""
        values: dict[str, Any] = {}
        first_bad: FormField | None = None
        for field in self.fields:
            message = self.problem(field)
            self.show_error(field.name, message)
            if message and first_bad is None:
                first_bad = field
            elif not message:
                values[field.name] = self.checked_value(field)
        self.query_one("#form-error", Static).update("")
        if first_bad is not None:
            self.move_to(first_bad.name)
            return
        if self.save is None:
            dismiss_if_in_front(self, values)
            return
        save = self.save
        run_service(self, lambda: save(values), group="form-save", exclusive=True,
                    done=lambda result: dismiss_if_in_front(self, result), failed=self.refused)

    def move_to(self, name: str) -> None:
        """Put the cursor in a field (left alone when it is there: focusing again would
        select the text and race the keys typed next)."""
        editor = self.query_one(f"#form-{name}")
        if not editor.has_focus:
            editor.focus()

    def refused(self, error: Exception) -> bool:
        """The service said no: under the field it names, else under the form."""
        if isinstance(error, FieldError) and self.field_named(error.field) is not None:
            self.show_error(error.field, str(error))
            self.move_to(error.field)
        else:
            self.query_one("#form-error", Static).update(safe_line(describe(error), 200))
        return True

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
