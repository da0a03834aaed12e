"""A survey answered by e-mail: the reply's first non-empty line is the score ("4", "4/5",
"Score: 9", "8 out of 10", "10!" and nothing else) and the rest is the comment. CSAT asks
for 1 to 5 (desk.support.csat), NPS for 0 to 10 (desk.support.feedback)."""

from __future__ import annotations

import re


def scored_reply(text: str, low: int, high: int) -> tuple[int, str] | None:
    """(score, comment) of `text` when its first non-empty line is a score from `low` to
    `high`, else None."""
    lines = text.strip().splitlines()
    if not lines:
        return None
    scores = "|".join(str(score) for score in range(high, low - 1, -1))
    line = re.compile(rf"\s*(?:score\s*[:=]?\s*)?({scores})\s*"
                      rf"(?:/\s*{high}|of\s+{high}|out\s+of\s+{high})?\s*[.!]?\s*", re.IGNORECASE)
    found = line.fullmatch(lines[0])
    if found is None:
        return None
    return int(found.group(1)), "\n".join(lines[1:]).strip()
