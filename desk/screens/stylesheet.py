"""A stylesheet that parses each piece of CSS once while the theme's variables stay the same.

Textual re-parses every CSS source of the app whenever it refreshes the CSS: when the app
starts, when a mode's first screen is made, when a screen class with CSS of its own is first
shown. Each refresh builds a fresh stylesheet and parses all of desk's and Textual's CSS again
(about 1,400 rule sets), although only the new screen's CSS is new and the variables (the
theme's colours) are unchanged. That cost some 40 ms a refresh, several times on the way to
the first painted row.

`ReusingStylesheet` keeps its parsed rule sets across refreshes as long as the variables are
the same, and parses a piece of CSS again only when it is new or the variables changed (a new
theme). Textual's own parse cache holds them; this class only stops it being thrown away.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet


class ReusingStylesheet(Stylesheet):
    """A Textual stylesheet whose refresh re-parses only CSS it has not parsed with the same
    variables; one per app, set as `App.stylesheet` before the app runs."""

    def set_variables(self, variables: dict[str, str]) -> None:
        """Use `variables`; what was parsed with them stays parsed if they are unchanged."""
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        """Parse every source again with the current variables, taking each source already
        parsed with them from the cache. On an error the rules in force stay as they were
        (Stylesheet.parse replaces them only at its end) and the error is raised, as
        Textual's own reparse does."""
        self.parse()
