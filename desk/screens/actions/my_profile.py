"""My profile (the palette's "My profile…"): the acting agent's display name, e-mail,
signature and away flag in one FieldsForm, checked in place by desk.kernel.profiles and saved
at the version read. Teams are shown, not changed: that is an admin's (`desk agents teams`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desk.kernel import profiles
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.fields_form import FieldsForm, FormField

AWAY = (("no, I take work", False), ("yes, away (no round-robin work)", True))
"""The choices of the away field."""


def profile_fields(profile: profiles.Profile) -> list[FormField]:
    """The form's fields, starting from the profile as it is."""
    return [
        FormField("name", "Display name", profile.name, check=profiles.FIELDS["name"],
                  placeholder="as replies, notes and history show you"),
        FormField("email", "E-mail", profile.email, check=profiles.FIELDS["email"],
                  placeholder="name@example.com (optional)"),
        FormField("signature", "Signature", profile.signature,
                  check=profiles.FIELDS["signature"], multiline=True),
        FormField("away", "Away", profile.away, choices=AWAY),
    ]


def open_my_profile(app: Any) -> None:
    """Load the acting agent's profile, then show it in the form; saving updates it."""
    if not can_write(app, "change your profile"):
        return
    agent = app.agent
    run_service(app, lambda: profiles.profile(agent.username),
                done=lambda profile: _show(app, profile))


def _show(app: Any, profile: profiles.Profile) -> None:
    """The form over the current screen."""
    agent = app.agent
    teams = ", ".join(profile.teams) or "none"
    form = FieldsForm(f"My profile ({profile.username})", profile_fields(profile),
                      save=lambda values: profiles.update(agent, agent.username,
                                                          profile.version, **values),
                      note=f"Teams: {teams} (an admin changes them)")

    def saved(result: profiles.Profile | None) -> None:
        if result is not None:
            app.agent = replace(app.agent, name=result.name)
            app.notify("Your profile is saved.", title="desk", markup=False, timeout=3)

    app.push_screen(form, saved)
