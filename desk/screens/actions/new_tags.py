"""A tag that does not exist yet is created only once the person said so: a typo such as
`bil` for `billing` must not become a tag that spreads to everyone's completions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.screen import Screen

from desk.kernel import tags
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen


def ask_before_creating(screen: Screen, names: Iterable[str], go: Callable[[], None],
                        back: Callable[[], None]) -> None:
    """Run `go` when every tag in `names` exists already. Otherwise ask (in words, "no"
    preselected) whether to create the new ones: yes runs `go`; no or escape runs `back`
    (reopen the prompt with what was typed)."""
    wanted = tuple(names)
    if not wanted:
        go()
        return

    def checked(new: tuple[str, ...]) -> None:
        """Ask about the tags no one has made yet, if any."""
        if not new:
            go()
            return
        listed = " ".join(f"#{name}" for name in new)
        plural = "s" if len(new) > 1 else ""
        question = PickScreen(f"Create the new tag{plural} {listed}?",
                              [("no, go back and change the tags", False),
                               (f"yes, create {listed}", True)],
                              hint=f"No tag named {listed} exists yet.")
        screen.app.push_screen(question, lambda yes: go() if yes else back())

    run_service(screen, lambda: tags.unknown(wanted), done=checked, group="new-tags")
