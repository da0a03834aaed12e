"""desk's configuration: the settings schema, the shipped defaults, loading, and the one
validator that checks the config, its automation rules and the themes.

- desk.config.schema and desk.config.support: `Settings` and its sections, msgspec Structs
  that refuse unknown keys; desk.config.checks: the value types beyond plain YAML.
- desk/config/defaults.yaml: the defaults that are lists (rules, SLA policies, responses).
- desk.config.loading: which file is read, and `ConfigError` naming file, line and key.
- desk.config.validate and desk.config.yaml_lines: the validator and the YAML reader that
  keeps the line of each key, shared with the rules and the themes.
- desk.config.automations: the grammar of automation rules and sequences, which is
  configuration (running them is desk.automation's).

The names other modules use are re-exported here.
"""

from desk.config.defaults import shipped_automations
from desk.config.loading import (
    CONFIG_ENV,
    ConfigError,
    default_config_path,
    load_settings,
    parse_settings,
    read_config,
)
from desk.config.schema import (
    ChecklistTemplateSettings,
    IdentitySettings,
    OrderSettings,
    Settings,
    SqliteSettings,
    WorkspaceSettings,
)
from desk.config.support import (
    SHIPPED_CANNED_RESPONSES,
    SHIPPED_SLA_POLICIES,
    CalendarSettings,
    CannedResponse,
    ImapSettings,
    IntakeSettings,
    SlaPolicy,
    SlaSettings,
    SmtpSettings,
    UrgencySettings,
    UrgencyWeights,
)
from desk.config.validate import (
    Check,
    Invalid,
    MissingKey,
    Section,
    SettingProblem,
    UnknownKey,
    convert,
    dotted,
    shown,
)
from desk.config.yaml_lines import KeyPath, line_of, node_at, read_yaml, yaml_problem

__all__ = [
    "CONFIG_ENV",
    "SHIPPED_CANNED_RESPONSES",
    "SHIPPED_SLA_POLICIES",
    "CalendarSettings",
    "CannedResponse",
    "Check",
    "ChecklistTemplateSettings",
    "ConfigError",
    "IdentitySettings",
    "ImapSettings",
    "IntakeSettings",
    "Invalid",
    "KeyPath",
    "MissingKey",
    "OrderSettings",
    "Section",
    "SettingProblem",
    "Settings",
    "SlaPolicy",
    "SlaSettings",
    "SmtpSettings",
    "SqliteSettings",
    "UnknownKey",
    "UrgencySettings",
    "UrgencyWeights",
    "WorkspaceSettings",
    "convert",
    "default_config_path",
    "dotted",
    "line_of",
    "load_settings",
    "node_at",
    "parse_settings",
    "read_config",
    "read_yaml",
    "shipped_automations",
    "shown",
    "yaml_problem",
]
