"""The client screen's "Sequences" section: the sequences the client is in now, and the last
few it finished or left, with the sequences the config offers to start."""

from __future__ import annotations

from msgspec import Struct

from desk.automation.sequences import listing
from desk.automation.sequences.listing import EnrolmentRow
from desk.config.automations.sequences import parse

ENDED_LIMIT = 3
"""How many finished or stopped enrolments the section keeps under the live ones."""


class SequenceSection(Struct, frozen=True):
    """The client's enrolments (live first, then the newest ended ones) and the names of the
    configured sequences, for starting one."""

    rows: tuple[EnrolmentRow, ...]
    offered: tuple[str, ...]


def load(client_id: int, configured: list) -> SequenceSection:
    """The section for `client_id`, with the config's `sequences:` data `configured`."""
    sequences = parse(configured)
    rows = listing.rows(sequences, client_id)
    live = [row for row in rows if row.state in ("running", "paused")]
    ended = [row for row in rows if row.state not in ("running", "paused")][:ENDED_LIMIT]
    return SequenceSection(tuple(live + ended), tuple(sequence.name for sequence in sequences))
