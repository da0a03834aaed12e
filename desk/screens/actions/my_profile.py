"""Agents' profiles in the app: "My profile…" (anyone who may write) and "Agent profiles…"
(admins: pick an agent first) open one FieldsForm with the display name, e-mail, signature
and away flag, checked in place by desk.kernel.profiles and saved at the version read. An
admin's form also has the agent's teams (comma-separated; new teams are created); others see
their teams in the note.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from desk.kernel import agents, profiles
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.fields_form import FieldsForm, FormField
from desk.screens.dialogs.pick import PickScreen

AWAY = (("no, takes work", False), ("yes, away (no round-robin work)", True))
"""The choices of the away field."""


def team_names(text: str) -> tuple[str, ...]:
    """Teams typed as "Support, Sales" (empty: none)."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def profile_fields(profile: profiles.Profile, *, with_teams: bool) -> list[FormField]:
    """The form's fields, starting from the profile as it is."""
    fields = [
        FormField("name", "Display name", profile.name, check=profiles.FIELDS["name"],
                  placeholder="as replies, notes and history show the agent"),
        FormField("email", "E-mail", profile.email, check=profiles.FIELDS["email"],
                  placeholder="name@example.com (optional)"),
        FormField("signature", "Signature", profile.signature,
                  check=profiles.FIELDS["signature"], multiline=True),
        FormField("away", "Away", profile.away, choices=AWAY),
    ]
    if with_teams:
        fields.append(FormField("teams", "Teams", ", ".join(profile.teams), check=team_names,
                                placeholder="e.g. Support, Billing (empty: none)"))
    return fields


def open_my_profile(app: Any) -> None:
    """The acting agent's own profile."""
    if can_write(app, "change your profile"):
        open_profile(app, app.agent.username)


def open_agent_profiles(app: Any) -> None:
    """For an admin: pick an agent, then their profile and teams."""
    if app.agent.role != "admin":
        app.notify("Only an admin can change other agents' profiles; yours is under "
                   "\"My profile…\".", title="desk", severity="warning", markup=False)
        return

    def pick(found: list[dict]) -> None:
        choices = [(f"{agent['username']} ({agent['name']})", agent["username"])
                   for agent in found]
        app.push_screen(PickScreen("Whose profile?", choices),
                        lambda username: username and open_profile(app, username))

    run_service(app, agents.listing, done=pick)


def open_profile(app: Any, username: str) -> None:
    """Load the agent's profile, then show it in the form; saving updates it."""
    run_service(app, lambda: profiles.profile(username),
                done=lambda profile: _show(app, profile))


def _show(app: Any, profile: profiles.Profile) -> None:
    """The form over the current screen."""
    agent, admin = app.agent, app.agent.role == "admin"
    start = {"name": profile.name, "email": profile.email, "signature": profile.signature,
             "away": profile.away}

    def save(values: dict[str, Any]) -> profiles.Profile:
        teams = values.pop("teams", None)
        changes = {key: value for key, value in values.items() if value != start[key]}
        return profiles.save(agent, profile.username, profile.version, changes, teams)

    def saved(result: profiles.Profile | None) -> None:
        if result is None:
            return
        if result.username == app.agent.username:
            app.agent = replace(app.agent, name=result.name)
        app.notify(f"The profile of {result.username} is saved.", title="desk", markup=False,
                   timeout=3)

    whose = "My profile" if profile.username == agent.username else "Profile"
    title = f"{whose} ({profile.username})"
    note = ("Teams: comma-separated; a new one is created." if admin else
            f"Teams: {', '.join(profile.teams) or 'none'} (an admin changes them)")
    app.push_screen(FieldsForm(title, profile_fields(profile, with_teams=admin), save=save,
                               note=note), saved)
