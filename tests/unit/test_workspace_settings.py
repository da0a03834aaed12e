"""The workspace's own settings: the company, time zone and working hours an admin saves in
the database, checked and recorded, and put over the config for everyone who opens it."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from desk.config import Settings
from desk.errors import ConflictError, FieldError, PermissionDenied
from desk.kernel import agents, workspace_settings
from desk.models import Activity, WorkspaceSetting


def test_an_admin_saves_the_company_zone_and_hours(admin):
    saved = workspace_settings.save(admin, {"company": " Acme & Co ",
                                            "timezone": "America/New_York",
                                            "hours": "Mon-Thu 08:00-18:00"})
    assert (saved.company, saved.timezone, saved.hours) == (
        "Acme & Co", "America/New_York", "mon,tue,wed,thu 08:00-18:00")
    assert dict(workspace_settings.described(saved)) == {
        "company": "Acme & Co", "timezone": "America/New_York", "hours": "Mon-Thu 08:00-18:00"}
    assert {(row.entity, row.field, row.new) for row in Activity.select()} >= {
        ("workspace", "company", "Acme & Co"),
        ("workspace", "hours", "mon,tue,wed,thu 08:00-18:00")}


def test_saved_settings_go_over_the_config_and_make_the_sla_calendar(admin):
    config = Settings(timezone="Europe/Berlin")
    assert workspace_settings.apply(config, workspace_settings.current()) == config
    workspace_settings.save(admin, {"timezone": "Asia/Tokyo", "hours": "Sun-Thu 08:00-16:00"})
    settings = workspace_settings.apply(config, workspace_settings.current())
    calendar = settings.business_calendar()
    assert settings.tz == ZoneInfo("Asia/Tokyo") and calendar.zone == ZoneInfo("Asia/Tokyo")
    assert (calendar.weekdays, calendar.opens, calendar.closes) == (
        frozenset({6, 0, 1, 2, 3}), time(8), time(16))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"timezone": "Mars/Base"}, "timezone", "time zone 'Mars/Base' is unknown"),
    ({"hours": "Mon-Fri"}, "hours", "write them like Mon-Fri 09:00-17:30"),
    ({"hours": "Mon-Fry 09:00-17:00"}, "hours", "cannot read 'mon-fry' as working days"),
    ({"hours": "Mon-Fri 18:00-09:00"}, "hours", "must close after they open"),
    ({"company": ""}, "company", "company name cannot be empty"),
])
def test_a_bad_setting_is_named_and_none_is_saved(admin, changes, field, message):
    history = Activity.select().count()
    with pytest.raises(FieldError) as refused:
        workspace_settings.save(admin, {"company": "Kept?", **changes})
    assert refused.value.field == field and message in str(refused.value)
    assert WorkspaceSetting.select().count() == 0 and Activity.select().count() == history


def test_only_admins_save_and_a_stale_read_conflicts(admin):
    bob = agents.add(admin, "bob")
    with pytest.raises(PermissionDenied):
        workspace_settings.save(bob, {"company": "Bob's"})
    first = workspace_settings.save(admin, {"company": "Acme"}, read={})
    with pytest.raises(ConflictError):
        workspace_settings.save(admin, {"company": "Other"}, read={})
    assert workspace_settings.save(admin, {"company": "Other"},
                                   read=first.versions).company == "Other"
