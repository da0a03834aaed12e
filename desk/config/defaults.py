"""The defaults desk ships for the settings that are lists (automation rules, SLA policies,
canned responses, public mail domains), kept in the packaged file desk/config/defaults.yaml.
"""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

from desk.config.yaml_lines import read_yaml

_SHIPPED: dict[str, Any] = read_yaml(
    resources.files("desk.config").joinpath("defaults.yaml").read_text(encoding="utf-8"))[0]


def shipped(*keys: str) -> Any:
    """A fresh copy of the shipped YAML data at `keys`, e.g. shipped("sla", "policies")."""
    data = _SHIPPED
    for key in keys:
        data = data[key]
    return copy.deepcopy(data)


def shipped_automations() -> list[Any]:
    """The automation rules desk ships, as YAML data: the default of `automations:`."""
    return shipped("automations")
