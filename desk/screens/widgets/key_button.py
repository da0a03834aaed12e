"""A button that takes every press: Textual's Button ignores a press while it still shows
the last one (for 0.2 s), so escape then enter typed quickly on a form's choice button
opened nothing. Forms in desk are driven by keys, so each press counts."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button


class KeyButton(Button):
    """A Button without the pressed look that makes it ignore a second press."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.active_effect_duration = 0
