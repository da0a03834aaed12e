"""The Contacts section of the client screen: its heading and one line per contact (the
primary marked ★, then name, role, title, e-mail and phone). Every stored text goes through
`safe_line`, so a name never becomes markup or escape codes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from textual.content import Content

from desk.crm.contacts import ROLE_LABELS, ContactRow
from desk.screens.renderers.client.page import section_heading
from desk.screens.safe import safe_line

PRIMARY = "★"
"""The mark of the client's primary contact."""


def contact_line(row: ContactRow) -> Content:
    """One contact: ★ for the primary, the name, its role, then title, e-mail and phone."""
    details = [part for part in (row.title, row.email, row.phone) if part]
    tail = [Content("  "), *(piece for part in details
                            for piece in (safe_line(part, 40), Content(" · ")))][:-1]
    return Content.assemble(
        (f"  {PRIMARY if row.primary else ' '} ", "bold"), safe_line(row.name, 30),
        (f"  {ROLE_LABELS.get(row.role, row.role)}", "italic"),
        *(piece.stylize("dim") for piece in tail))


def contact_items(rows: Sequence[ContactRow]) -> Iterator[tuple[tuple[str, object], Content]]:
    """The section's list items: the heading, then ("contact", id) with its line."""
    yield ("heading", None), section_heading("Contacts", len(rows), len(rows))
    for row in rows:
        yield ("contact", row.id), contact_line(row)
