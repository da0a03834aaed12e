"""The client's notes: a requirements document in Markdown, started from a template.

The template ships with desk as desk/templates/requirements.md. `$client` and `$contact` in
it are filled in with the client's name and contact person; any other `$` text stays as it
is written.
"""

from __future__ import annotations

from importlib import resources
from string import Template

TEMPLATE = "requirements.md"
"""The file name of the requirements template in the desk.templates package."""


def template_text() -> str:
    """The requirements template as shipped, unfilled."""
    return resources.files("desk.templates").joinpath(TEMPLATE).read_text(encoding="utf-8")


def starting_notes(client: str, contact: str = "") -> str:
    """The notes a client without notes starts from: the template with its name and contact
    person filled in (a blank contact leaves a line to fill)."""
    return Template(template_text()).safe_substitute(client=client, contact=contact or "")
