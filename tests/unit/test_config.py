"""Tests for desk.config: settings from YAML, with errors that name the file, line and key."""

from __future__ import annotations

import dataclasses
import os
import typing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

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
    hints = typing.get_type_hints(cls)
    for item in dataclasses.fields(cls):
        name = prefix + item.name
        keys.add(name)
        if dataclasses.is_dataclass(hints[item.name]):
            keys |= schema_keys(hints[item.name], name + ".")
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
    monkeypatch.setattr(config, "default_config_path", lambda: missing)
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
    with pytest.raises(dataclasses.FrozenInstanceError):
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
        "(expected one of database, timezone, sqlite, workspace, orders, checklist_templates, "
        "theme, keymap, automations)"
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


# --- the generic validator -------------------------------------------------------------------


@dataclass(frozen=True)
class _Extra:
    """A section with the types the schema does not use yet."""

    ratio: float = 1.0
    enabled: bool = False
    tags: list[str] = field(default_factory=list)


def test_validator_handles_floats_bools_and_lists() -> None:
    data = {"ratio": 2, "enabled": True, "tags": ["a", "b"]}
    assert config._build(_Extra, data, ()) == _Extra(ratio=2.0, enabled=True, tags=["a", "b"])


def test_validator_names_a_list_item() -> None:
    with pytest.raises(config._Invalid) as caught:
        config._build(_Extra, {"tags": ["a", 3]}, ("extra",))
    assert caught.value.text == "extra.tags[1]: expected text, got 3"


def test_validator_refuses_a_whole_number_for_a_bool() -> None:
    with pytest.raises(config._Invalid) as caught:
        config._build(_Extra, {"enabled": 1}, ())
    assert caught.value.text == "enabled: expected true or false, got 1"


# --- which file --------------------------------------------------------------------------------


def test_no_file_at_all_gives_defaults(no_default_file: Path) -> None:
    assert load_settings(environ={}) == Settings()


def test_default_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = tmp_path / "config.yaml"
    default.write_text("theme: from-default\n", encoding="utf-8")
    monkeypatch.setattr(config, "default_config_path", lambda: default)
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
