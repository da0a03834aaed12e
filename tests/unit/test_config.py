"""Tests for desk.config: settings from YAML, with errors that name the file, line and key."""

from __future__ import annotations

import os
import typing
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest
import yaml

from desk import config
from desk.config import (
    ConfigError,
    Settings,
    SqliteSettings,
    WorkspaceSettings,
    default_config_path,
    load_settings,
    parse_settings,
)
from desk.errors import DeskError

EXAMPLE = Path(__file__).parents[2] / "config.example.yaml"


def schema_keys(cls: type = Settings, prefix: str = "") -> set[str]:
    """Every dotted setting name in the schema, sections included."""
    keys = set()
    for item in msgspec.structs.fields(cls):
        name = prefix + item.encode_name
        keys.add(name)
        hint = item.type
        if typing.get_origin(hint) is typing.Annotated:
            hint = typing.get_args(hint)[0]
        if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
            keys |= schema_keys(hint, name + ".")
    return keys


def written_keys(data: dict[str, object], prefix: str = "") -> set[str]:
    """Every dotted key set in a loaded YAML mapping, descending into sections (not keymap)."""
    keys = set()
    for key, value in data.items():
        keys.add(prefix + key)
        if isinstance(value, dict) and key != "keymap":
            keys |= written_keys(value, f"{prefix}{key}.")
    return keys


def error_of(text: str) -> str:
    """The ConfigError message for YAML `text` read as config.yaml."""
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, source="config.yaml")
    return str(caught.value)


@pytest.fixture
def no_default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default config location at a file that does not exist."""
    missing = tmp_path / "nowhere" / "config.yaml"
    monkeypatch.setattr(config.loading, "default_config_path", lambda: missing)
    return missing


# --- the example file ------------------------------------------------------------------------


def test_example_loads_and_sets_the_defaults() -> None:
    assert load_settings(EXAMPLE, environ={}) == Settings()


def test_example_documents_exactly_the_settings() -> None:
    written = written_keys(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    assert written == schema_keys()


def test_example_documents_the_overrides() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for override in ("DESK_CONFIG", "DESK_DATABASE", "--config", "--db", "postgresql://"):
        assert override in text


# --- values ------------------------------------------------------------------------------------


def test_empty_text_gives_defaults() -> None:
    assert parse_settings("") == Settings()
    assert parse_settings("# only a comment\n") == Settings()


def test_values_are_read() -> None:
    settings = parse_settings(
        "database: postgresql://desk@db.example:5432/desk\n"
        "timezone: Europe/Berlin\n"
        "sqlite:\n"
        "  synchronous: normal\n"
        "  busy_timeout_ms: 0\n"
        "workspace:\n"
        "  default_list: Triage\n"
        "  new_agent_role: viewer\n"
        "theme: desk-light\n"
        "keymap:\n"
        "  app.quit: ctrl+q\n"
    )
    assert settings == Settings(
        database="postgresql://desk@db.example:5432/desk",
        timezone="Europe/Berlin",
        sqlite=SqliteSettings(synchronous="normal", busy_timeout_ms=0),
        workspace=WorkspaceSettings(default_list="Triage", new_agent_role="viewer"),
        theme="desk-light",
        keymap={"app.quit": "ctrl+q"},
    )


def test_an_empty_section_keeps_its_defaults() -> None:
    assert parse_settings("sqlite:\nkeymap:\n") == Settings()


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().theme = "other"  # type: ignore[misc]


def test_bare_sqlite_path_is_accepted_as_database() -> None:
    assert parse_settings("database: ~/desk.db").database == "~/desk.db"


def test_tz_is_the_configured_zone() -> None:
    assert parse_settings("timezone: Europe/Berlin").tz == ZoneInfo("Europe/Berlin")


def test_tz_defaults_to_the_system_zone() -> None:
    now = datetime.now().astimezone()
    assert now.astimezone(Settings().tz).utcoffset() == now.utcoffset()


# --- errors ------------------------------------------------------------------------------------


def test_config_error_is_a_desk_error() -> None:
    assert issubclass(ConfigError, DeskError)


def test_wrong_choice_names_line_and_key() -> None:
    text = "theme: desk-dark\n\nworkspace:\n  default_list: Inbox\n\nsqlite:\n  synchronous: fast\n"
    assert error_of(text) == (
        "config.yaml, line 7: sqlite.synchronous: expected one of normal, full; got 'fast'"
    )


def test_unknown_key_suggests_the_closest() -> None:
    assert error_of("theme: desk-dark\n\ndatabse: sqlite:///x.db\n") == (
        "config.yaml, line 3: unknown key 'databse' (did you mean 'database'?)"
    )


def test_unknown_nested_key_is_dotted() -> None:
    assert error_of("sqlite:\n  busy_timeout_ms: 10\n  synchronus: full\n") == (
        "config.yaml, line 3: unknown key 'sqlite.synchronus' (did you mean 'sqlite.synchronous'?)"
    )


def test_unknown_key_without_a_close_match_lists_the_keys() -> None:
    assert error_of("colour: red\n") == (
        "config.yaml, line 1: unknown key 'colour' "
        "(expected one of database, timezone, sqlite, identity, workspace, orders, "
        "checklist_templates, theme, keymap, editor, automations, sequences, calendar, sla, "
        "urgency, intake, smtp, canned_responses, portal, suggestions, loyalty, nps, presence, "
        "money)"
    )


def test_text_for_a_whole_number() -> None:
    assert error_of("sqlite:\n  busy_timeout_ms: abc\n") == (
        "config.yaml, line 2: sqlite.busy_timeout_ms: expected a whole number, got 'abc'"
    )


def test_true_is_not_a_whole_number() -> None:
    assert error_of("sqlite:\n\n  busy_timeout_ms: true\n") == (
        "config.yaml, line 3: sqlite.busy_timeout_ms: expected a whole number, got true"
    )


def test_negative_busy_timeout() -> None:
    assert error_of("sqlite:\n  busy_timeout_ms: -1\n") == (
        "config.yaml, line 2: sqlite.busy_timeout_ms: expected a whole number of at least 0, got -1"
    )


def test_missing_value() -> None:
    assert error_of("sqlite:\n  busy_timeout_ms:\n") == (
        "config.yaml, line 2: sqlite.busy_timeout_ms: expected a whole number, got an empty value"
    )


def test_number_for_text() -> None:
    assert error_of("theme: 12\n") == "config.yaml, line 1: theme: expected text, got 12"


def test_keymap_values_are_text() -> None:
    assert error_of("keymap:\n  app.quit: ctrl+q\n  app.help: [f1]\n") == (
        "config.yaml, line 3: keymap.app.help: expected text, got a list"
    )


def test_section_must_be_a_mapping() -> None:
    assert error_of("\nsqlite: fast\n") == (
        "config.yaml, line 2: sqlite: expected a mapping of settings (key: value), got 'fast'"
    )


def test_top_level_must_be_a_mapping() -> None:
    assert error_of("# settings\n- database\n- theme\n") == (
        "config.yaml, line 2: expected a mapping of settings (key: value), got a list"
    )


def test_unknown_timezone_names_the_key() -> None:
    assert error_of("theme: desk-dark\ntimezone: Europe/Gotham\n") == (
        "config.yaml, line 2: timezone: unknown time zone 'Europe/Gotham' "
        "(expected an IANA name like Europe/Berlin)"
    )


def test_unsupported_database_scheme_does_not_echo_the_url() -> None:
    message = error_of("database: mysql://admin:hunter2@db/desk\n")
    assert message.startswith("config.yaml, line 1: database: unsupported database URL")
    assert "hunter2" not in message


def test_blank_default_list() -> None:
    assert error_of("workspace:\n  default_list: ' '\n") == (
        "config.yaml, line 2: workspace.default_list: expected a name, got an empty text"
    )


def test_yaml_syntax_error_reports_the_line() -> None:
    message = error_of("theme: desk-dark\nsqlite:\n  synchronous: full\n  busy: [1\n")
    assert message.startswith("config.yaml, line 5: not valid YAML: ")


def test_yaml_mapping_syntax_error() -> None:
    assert error_of("theme: desk-dark\ndatabase: a: b\n") == (
        "config.yaml, line 2: not valid YAML: mapping values are not allowed here"
    )


def test_a_second_document_is_refused() -> None:
    message = error_of("theme: desk-dark\n---\ntheme: other\n")
    assert message.startswith("config.yaml, line 2: not valid YAML: ")


def test_python_tags_are_refused_and_nothing_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    message = error_of("theme: desk-dark\ndatabase: !!python/object/apply:os.system ['touch x']\n")
    assert message.startswith("config.yaml, line 2: not valid YAML: could not determine")
    assert calls == []


def test_control_characters_in_keys_are_not_echoed() -> None:
    message = error_of('"\\e[2J\\nx": 1\n')
    assert "\x1b" not in message
    assert "\n" not in message
    assert "unknown key '␛[2J⏎x'" in message


# --- the shipped defaults ---------------------------------------------------------------------


def test_the_packaged_defaults_are_a_config_file_of_the_defaults() -> None:
    text = resources.files("desk.config").joinpath("defaults.yaml").read_text(encoding="utf-8")
    assert parse_settings(text, "defaults.yaml") == Settings()


# --- which file --------------------------------------------------------------------------------


def test_no_file_at_all_gives_defaults(no_default_file: Path) -> None:
    assert load_settings(environ={}) == Settings()


def test_default_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = tmp_path / "config.yaml"
    default.write_text("theme: from-default\n", encoding="utf-8")
    monkeypatch.setattr(config.loading, "default_config_path", lambda: default)
    assert load_settings(environ={}).theme == "from-default"


def test_desk_config_names_the_file(tmp_path: Path, no_default_file: Path) -> None:
    chosen = tmp_path / "team.yaml"
    chosen.write_text("theme: from-env\n", encoding="utf-8")
    assert load_settings(environ={"DESK_CONFIG": str(chosen)}).theme == "from-env"


def test_explicit_path_beats_desk_config(tmp_path: Path) -> None:
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("theme: from-flag\n", encoding="utf-8")
    from_env = tmp_path / "env.yaml"
    from_env.write_text("theme: from-env\n", encoding="utf-8")
    settings = load_settings(explicit, environ={"DESK_CONFIG": str(from_env)})
    assert settings.theme == "from-flag"


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError) as caught:
        load_settings(missing, environ={})
    assert str(caught.value) == f"{missing}: no such config file"


def test_missing_desk_config_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"DESK_CONFIG": str(missing)})
    assert str(caught.value) == f"{missing}: no such config file (named by DESK_CONFIG)"


def test_error_names_the_file_path(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("workspace:\n  new_agent_role: admin\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert str(caught.value) == (
        f"{path}, line 2: workspace.new_agent_role: expected one of agent, viewer; got 'admin'"
    )


def test_a_folder_is_not_a_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_settings(tmp_path, environ={})


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"theme: \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path, environ={})


def test_default_config_path_is_in_the_user_config_folder() -> None:
    path = default_config_path()
    assert path.name == "config.yaml"
    assert path.parent.name == "desk"


# --- intake ----------------------------------------------------------------------------------


def test_intake_settings_read_from_yaml() -> None:
    settings = parse_settings(
        "intake:\n  list: Support/Inbox\n  attachment_max_bytes: 2000\n"
        "  reopen_resolved: false\n  create_customers: false\n  public_domains: [mail.test]\n"
        "  imap:\n    host: imap.example.org\n    port: 1993\n    security: starttls\n"
        "    user: desk\n    password_env: DESK_IMAP_PASSWORD\n    folder: Support\n"
        "    processed: move\n    move_to: Support/Done\n")
    intake = settings.intake
    assert (intake.list, intake.attachment_max_bytes, intake.reopen_resolved,
            intake.create_customers, intake.public_domains) == (
        "Support/Inbox", 2000, False, False, ["mail.test"])
    imap = intake.imap
    assert (imap.host, imap.port, imap.security, imap.user, imap.password_env, imap.folder,
            imap.processed, imap.move_to) == (
        "imap.example.org", 1993, "starttls", "desk", "DESK_IMAP_PASSWORD", "Support", "move",
        "Support/Done")


def test_intake_defaults_have_no_mailbox_and_the_public_domains() -> None:
    intake = Settings().intake
    assert intake.imap.host is None and intake.imap.processed == "flag"
    assert "gmail.com" in intake.public_domains and intake.list == "Support inbox"


@pytest.mark.parametrize(("text", "message"), [
    ("intake:\n  imap:\n    host: x\n    processed: move\n",
     "config.yaml, line 4: intake.imap: processed: move needs move_to: a folder name"),
    ("intake:\n  imap:\n    password_env: A\n    password_file: /run/pw\n",
     "config.yaml, line 4: intake.imap: set password_env or password_file, not both"),
    ("intake:\n  public_domains:\n    - gmail.com\n    - Yahoo.com\n",
     "config.yaml, line 4: intake.public_domains: item 2: expected a lower-case domain like "
     "gmail.com, got 'Yahoo.com'"),
    ("intake:\n  attachment_max_bytes: -1\n",
     "config.yaml, line 2: intake.attachment_max_bytes: expected a whole number of at least 0, "
     "got -1"),
    ("intake:\n  imap:\n    security: ssl\n",
     "config.yaml, line 3: intake.imap.security: expected one of tls, starttls; got 'ssl'"),
    ("intake:\n  reopen_resolved: maybe\n",
     "config.yaml, line 2: intake.reopen_resolved: expected true or false, got 'maybe'"),
])
def test_intake_mistakes_name_the_key_and_line(text: str, message: str) -> None:
    assert error_of(text) == message


# --- calendar, sla and urgency -----------------------------------------------------------------


def test_the_example_ships_the_default_sla_policies() -> None:
    from desk.config import SHIPPED_SLA_POLICIES

    assert load_settings(EXAMPLE, environ={}).sla.policies == list(SHIPPED_SLA_POLICIES)
    assert Settings().sla.policies[-1].name == "standard"


def test_calendar_sla_and_urgency_values_are_read() -> None:
    from datetime import date

    settings = parse_settings(
        "calendar:\n"
        "  timezone: Europe/London\n"
        "  days: [mon, tue, wed, thu]\n"
        "  hours: '08:00-16:00'\n"
        "  holidays: [2026-12-25, 2027-01-01]\n"
        "sla:\n"
        "  near_breach_percent: 75\n"
        "  near_breach_minutes: null\n"
        "  policies:\n"
        "    - name: vip\n"
        "      client_kind: [client]\n"
        "      first_response: 30min\n"
        "    - name: rest\n"
        "      resolution: 1w\n"
        "urgency:\n"
        "  weights: {sla: 12.5, age: 0}\n"
        "  sla_horizon: 2d\n")
    assert settings.calendar.days == ["mon", "tue", "wed", "thu"]
    assert settings.calendar.holidays == [date(2026, 12, 25), date(2027, 1, 1)]
    assert (settings.sla.near_breach_percent, settings.sla.near_breach_minutes) == (75, None)
    assert [(p.name, p.client_kind, p.first_response, p.resolution)
            for p in settings.sla.policies] == [("vip", ["client"], "30min", None),
                                                ("rest", [], None, "1w")]
    assert (settings.urgency.weights.sla, settings.urgency.weights.age,
            settings.urgency.weights.priority) == (12.5, 0, 30)
    assert settings.urgency.sla_horizon == "2d"


@pytest.mark.parametrize(("text", "message"), [
    ("calendar:\n  holidays:\n    - 2026-12-25\n    - '2026-12-26'\n",
     "config.yaml, line 4: calendar.holidays[1]: expected a date written 2026-12-25 "
     "(not in quotes), got '2026-12-26'"),
    ("calendar:\n  hours: 9-17\n",
     "config.yaml, line 2: calendar.hours: cannot read '9-17' as working hours; write them "
     "like 09:00-17:30"),
    ("calendar:\n  hours: '17:00-09:00'\n",
     "config.yaml, line 2: calendar.hours: working hours '17:00-09:00' must close after they "
     "open"),
    ("calendar:\n  days: [mon, tue, mon]\n",
     "config.yaml, line 2: calendar.days: mon is named twice"),
    ("calendar:\n  days: []\n",
     "config.yaml, line 2: calendar.days: expected at least one working day, e.g. "
     "[mon, tue, wed, thu, fri]"),
    ("calendar:\n  days: [monday]\n",
     "config.yaml, line 2: calendar.days[0]: expected one of mon, tue, wed, thu, fri, sat, "
     "sun; got 'monday'"),
    ("calendar:\n  timezone: Mars/Olympus\n",
     "config.yaml, line 2: calendar.timezone: unknown time zone 'Mars/Olympus' (expected an "
     "IANA name like Europe/Berlin)"),
    ("sla:\n  policies:\n    - name: vip\n      priority: [urgent]\n      resolution: 4h\n",
     "config.yaml, line 3: sla.policies: the last policy ('vip') must be for every query: "
     "give it no priority and no client_kind"),
    ("sla:\n  policies:\n    - name: all\n    - name: All\n",
     "config.yaml, line 4: sla.policies: another policy is called 'All'"),
    ("sla:\n  policies:\n    - name: all\n      first_response: soon\n",
     "config.yaml, line 4: sla.policies[0].first_response: cannot read 'soon' as a length of "
     "business time; try 30min, 4h, 1h30min, 3d (working days) or 1w (working weeks)"),
    ("sla:\n  policies:\n    - name: all\n      resolution: 0h\n",
     "config.yaml, line 4: sla.policies[0].resolution: '0h' is no time at all; try 30min, 4h, "
     "1h30min, 3d (working days) or 1w (working weeks)"),
    ("sla:\n  policies:\n    - first_response: 1h\n",
     "config.yaml, line 3: sla.policies[0]: missing the key 'name'"),
    ("sla:\n  policies:\n    - name: all\n      priority: [asap]\n",
     "config.yaml, line 4: sla.policies[0].priority[0]: expected one of urgent, high, normal, "
     "low, none; got 'asap'"),
    ("sla:\n  policies:\n    - name: all\n      client_kinds: [client]\n",
     "config.yaml, line 4: unknown key 'sla.policies[0].client_kinds' (did you mean "
     "'sla.policies[0].client_kind'?)"),
    ("sla:\n  policies: []\n",
     "config.yaml, line 2: sla.policies: expected at least one policy (the last one for every "
     "query)"),
    ("sla:\n  near_breach_percent: 100\n",
     "config.yaml, line 2: sla.near_breach_percent: expected a whole number of percent from 1 "
     "to 99, got 100"),
    ("sla:\n  near_breach_minutes: 0\n",
     "config.yaml, line 2: sla.near_breach_minutes: expected a whole number of at least 1, "
     "got 0"),
    ("urgency:\n  weights:\n    sla: lots\n",
     "config.yaml, line 3: urgency.weights.sla: expected a number, got 'lots'"),
    ("urgency:\n  weights:\n    speed: 3\n",
     "config.yaml, line 3: unknown key 'urgency.weights.speed' (expected one of sla, priority, "
     "client, retainer, lead_score, age, waiting_on_us)"),
    ("urgency:\n  sla_horizon: 3 months\n",
     "config.yaml, line 2: urgency.sla_horizon: cannot read '3 months' as a duration; try "
     "30min, 2h, 3d, 1w or 1h30min"),
    ("urgency:\n  age_full: 0d\n",
     "config.yaml, line 2: urgency.age_full: expected a length of time above zero, got '0d'"),
    ("urgency:\n  retainer_full: 0\n",
     "config.yaml, line 2: urgency.retainer_full: expected a number above 0, got 0"),
])
def test_calendar_sla_and_urgency_mistakes_name_the_key_and_line(text: str,
                                                                 message: str) -> None:
    assert error_of(text) == message


# --- outgoing mail and canned responses ----------------------------------------------------


def test_smtp_and_canned_responses_are_read() -> None:
    settings = parse_settings(
        "smtp:\n  host: smtp.example.org\n  port: 2525\n  security: tls\n  user: desk\n"
        "  password_file: ~/.desk-smtp\n  from_address: support@example.org\n"
        "  from_name: Example Support\n  max_attempts: 3\n  retry_after: 1min\n"
        "canned_responses:\n  - name: thanks\n"
        "    text: \"Thanks, {requester.name} (#{task.id})\"\n")
    smtp = settings.smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.user, smtp.password_file,
            smtp.from_address, smtp.from_name, smtp.max_attempts, smtp.retry_after) == (
        "smtp.example.org", 2525, "tls", "desk", "~/.desk-smtp", "support@example.org",
        "Example Support", 3, "1min")
    assert [(r.name, r.text) for r in settings.canned_responses] == [
        ("thanks", "Thanks, {requester.name} (#{task.id})")]


def test_the_example_ships_the_default_canned_responses_and_no_smtp_server() -> None:
    settings = load_settings(EXAMPLE, environ={})
    assert settings.canned_responses == list(config.SHIPPED_CANNED_RESPONSES)
    assert settings.smtp.host is None


@pytest.mark.parametrize(("text", "message"), [
    ("smtp:\n  host: smtp.example.com\n",
     "config.yaml, line 2: smtp: a server needs from_address: the address mail is sent from"),
    ("smtp:\n  from_address: \"a@b.example\\nBcc: c@d.example\"\n",
     "config.yaml, line 2: smtp.from_address: not an e-mail address like ada@example.com: "
     "'a@b.example\\nBcc: c@d.example'"),
    ("smtp:\n  security: ssl\n",
     "config.yaml, line 2: smtp.security: expected one of starttls, tls, none; got 'ssl'"),
    ("smtp:\n  from_name: \"Support\\r\\nBcc: eve@evil.example\"\n",
     "config.yaml, line 2: smtp.from_name: expected one line without control characters, got "
     "'Support\\r\\nBcc: eve@evil.example'"),
    ("smtp:\n  message_id_domain: desk example\n",
     "config.yaml, line 2: smtp.message_id_domain: expected a domain like example.com, got "
     "'desk example'"),
    ("smtp:\n  host: h.example\n  from_address: a@b.example\n  security: none\n  user: desk\n"
     "  password_env: DESK_SMTP_PASSWORD\n",
     "config.yaml, line 4: smtp: logging in over security: none would send the password "
     "unencrypted; use starttls or tls"),
    ("smtp:\n  user: desk\n",
     "config.yaml, line 2: smtp: logging in needs password_env or password_file"),
    ("smtp:\n  password_env: X\n  password_file: /x\n",
     "config.yaml, line 3: smtp: set password_env or password_file, not both"),
    ("smtp:\n  retry_after: soon\n",
     "config.yaml, line 2: smtp.retry_after: cannot read 'soon' as a duration; try 30min, 2h, "
     "3d, 1w or 1h30min"),
    ("smtp:\n  max_attempts: 0\n",
     "config.yaml, line 2: smtp.max_attempts: expected a whole number of at least 1, got 0"),
    ("canned_responses:\n  - name: hi\n    text: Hello {client}\n",
     "config.yaml, line 3: canned_responses[0].text: unknown placeholder {client}; expected one "
     "of {task.id}, {task.title}, {task.status}, {task.list}, {task.priority}, {task.kind}, "
     "{task.due}, {requester.name}, {requester.email}, {client.name}, {client.contact}, "
     "{client.email}, {client.birthday}, {contact.name}, {contact.first_name}, {agent.name}, "
     "{agent.username}, {today}"),
    ("canned_responses:\n  - name: hi\n    text: Hello\n  - name: HI\n    text: again\n",
     "config.yaml, line 4: canned_responses: another canned response is called 'HI'"),
    ("canned_responses:\n  - name: hi\n    text: 'Hello {'\n",
     "config.yaml, line 3: canned_responses[0].text: Single '{' encountered in format string "
     "(write {{ and }} for braces)"),
    ("canned_responses:\n  - text: Hello\n",
     "config.yaml, line 2: canned_responses[0]: missing the key 'name'"),
    ("canned_responses:\n  hi: Hello\n",
     "config.yaml, line 2: canned_responses: expected a list, got a mapping"),
])
def test_smtp_and_canned_response_mistakes_name_the_key_and_line(text: str,
                                                                 message: str) -> None:
    assert error_of(text) == message
