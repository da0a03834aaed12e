"""The first start of a new workspace: an admin who opens a desk without any space or list
(desk.screens.actions.set_up_offer asks) is walked through a short set-up, so the desk is
ready for work at once:

1. their display name (a prompt);
2. their e-mail address and signature (a form; empty fields are skipped);
3. the company's name, time zone and working days and hours (a form; empty fields keep
   the config's values);
4. a starter template (desk.work.starters).

Each answer is checked in place by the service's own checks. Nothing is written until the
last answer: then everything is saved in one transaction (desk.work.first_day) and the app
takes the saved time zone and working hours at once (its settings and SLA calendar). Escape
at any step skips the set-up and writes nothing; `desk init --template --name --company
--timezone --hours` does the same later.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from desk.kernel import profiles, workspace_settings
from desk.screens.actions.app.workspace_follow import apply_workspace
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.fields_form import FieldsForm, FormField
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.work import first_day, starters

TEMPLATES = (("Support desk: one Support inbox", "support"),
             ("Agency: Support, Orders, Billing, Accounts", "agency"),
             ("Blank: no spaces or lists yet", "blank"))
"""The starter templates as the picker offers them, in the order of desk.work.starters."""

SKIPPED = ("Set-up skipped; nothing was written. Later: desk init --template "
           "support|agency|blank")


def ask_name(app: Any) -> None:
    """The set-up's first step (desk.screens.actions.set_up_offer decides to take it): their
    display name, starting from the one they have."""
    app.push_screen(PromptScreen("Welcome to desk. Your name, as replies and history show it",
                                 value=app.agent.name, parse=profiles.FIELDS["name"],
                                 hint="Then your e-mail, your company and a template."),
                    lambda name: _ask_contact(app, {"name": name}) if name else _skip(app))


def _optional(check: Any) -> Any:
    """A field's check, with an empty field left out (None)."""
    return lambda text: None if not text.strip() else check(text)


def _ask_contact(app: Any, profile: dict[str, Any]) -> None:
    """Their e-mail address and signature (each may stay empty)."""
    fields = [FormField("email", "E-mail", check=_optional(profiles.FIELDS["email"]),
                        placeholder="name@example.com (optional)"),
              FormField("signature", "Signature", check=_optional(profiles.FIELDS["signature"]),
                        multiline=True)]

    def answered(values: dict[str, Any] | None) -> None:
        if values is None:
            _skip(app)
            return
        _ask_company(app, {**profile, **{k: v for k, v in values.items() if v is not None}})

    app.push_screen(FieldsForm("Your e-mail and signature", fields,
                               note="For the replies you send; leave empty to skip.",
                               verb="continues"),
                    answered)


def _ask_company(app: Any, profile: dict[str, Any]) -> None:
    """The company's name, time zone and working hours (each may stay empty)."""
    settings = app.settings
    hours = workspace_settings.calendar_hours(settings)
    checks = workspace_settings.CHECKS
    fields = [FormField("company", "Company", check=_optional(checks["company"]),
                        placeholder="your company's name (optional)"),
              FormField("timezone", "Time zone", check=_optional(checks["timezone"]),
                        placeholder=f"e.g. Europe/Berlin (empty: {settings.tz})"),
              FormField("hours", "Working hours", check=_optional(checks["hours"]),
                        placeholder=f"e.g. Mon-Fri 09:00-17:30 (empty: {hours})")]

    def answered(values: dict[str, Any] | None) -> None:
        if values is None:
            _skip(app)
            return
        given = {key: value for key, value in values.items() if value is not None}
        _ask_template(app, profile, given)

    app.push_screen(FieldsForm("Your company", fields, verb="continues",
                               note="SLA clocks count the working hours; empty keeps the "
                                    "config's."), answered)


def _ask_template(app: Any, profile: dict[str, Any], settings: dict[str, Any]) -> None:
    """The starter template, then everything is saved in a worker."""
    app.push_screen(PickScreen("Start with which template?", TEMPLATES),
                    lambda template: _save(app, first_day.Answers(template, profile, settings))
                    if template else _skip(app))


def _save(app: Any, answers: first_day.Answers) -> None:
    """Save the answers; the app takes the saved settings; say what was made."""
    agent = app.agent

    def saved(result: tuple[starters.Starter, workspace_settings.WorkspaceProfile]) -> None:
        chosen, workspace = result
        app.agent = replace(app.agent, name=str(answers.profile["name"]))
        apply_workspace(app, workspace, announce=False)
        app.notify(f"Your desk is set up ({chosen.name}): {chosen.description}.",
                   title="desk", markup=False)

    run_service(app, lambda: first_day.set_up(agent, answers), group="first-start",
                done=saved)


def _skip(app: Any) -> None:
    """Say that nothing was written, and how to set up later."""
    app.notify(SKIPPED, title="desk", markup=False)
