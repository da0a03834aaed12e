"""The {placeholders} of rule templates and canned responses: which ones a subject offers,
checking a text that uses them, and filling them in.

A text is read with `string.Formatter`'s parser only: {{ and }} are braces, a name must be
one of those offered, and nothing is ever looked up as an attribute or an index, so a
template cannot reach into Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from string import Formatter

CLIENT_PLACEHOLDERS = ("client.name", "client.contact", "client.email", "client.birthday")
CONTACT_PLACEHOLDERS = ("contact.name", "contact.first_name")
"""The person a text is addressed to: a query's requester contact (else its requester), else
the client's primary contact (desk.crm.contacts), else the client's contact person."""
RETAINER_PLACEHOLDERS = ("retainer.cycle", "retainer.used", "retainer.included",
                         "retainer.share", "retainer.overage", "retainer.overage_amount")
"""A cycle's figures, given by the retainer triggers (desk.automation.retainer_triggers)."""
COMMON_PLACEHOLDERS = ("agent.name", "agent.username", "rule.name", "today")
TIER_PLACEHOLDERS = ("tier.from", "tier.to")  # a loyalty tier change's; empty otherwise
TASK_PLACEHOLDERS = ("task.id", "task.title", "task.status", "task.list", "task.priority",
                     "task.kind", "task.due", "requester.name", "requester.email",
                     "csat.links")


def placeholders_for(subject: str) -> tuple[str, ...]:
    """The placeholders a rule about a task or a client can use."""
    if subject == "client":
        return (CLIENT_PLACEHOLDERS + CONTACT_PLACEHOLDERS + TIER_PLACEHOLDERS
                + RETAINER_PLACEHOLDERS + COMMON_PLACEHOLDERS)
    return TASK_PLACEHOLDERS + CLIENT_PLACEHOLDERS + CONTACT_PLACEHOLDERS + COMMON_PLACEHOLDERS


def check_placeholders(text: str, allowed: Iterable[str]) -> None:
    """Check that `text` uses only the placeholders `allowed`, as plain names (no format
    spec, no conversion); raises ValueError saying what is wrong."""
    offered = tuple(allowed)
    try:
        parts = list(Formatter().parse(text))
    except ValueError as error:
        raise ValueError(f"{error} (write {{{{ and }}}} for braces)") from None
    for _, name, spec, conversion in parts:
        if name is not None and (name not in offered or spec or conversion):
            raise ValueError(f"unknown placeholder {{{name}}}; expected one of "
                             + ", ".join(f"{{{known}}}" for known in offered))


def render(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {placeholder} replaced by its value (checked ones only: nothing is
    looked up as an attribute, so a template cannot reach into Python objects)."""
    out = []
    for literal, name, _, _ in Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)
