"""`f` follows the task in view (the task screen) or under the cursor (the inbox and the task
lists), or stops following it: `FollowActions`, a base of those screens. The change runs in
a worker through desk.work.notices.toggle_following (refused for a viewer, with the reason);
a notice says which way it went. News on a followed task then reaches the agent's For me
(desk.screens.screens.for_me)."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from desk.screens.actions.calls import can_write, run_service
from desk.text import one_line
from desk.work import notices

FOLLOW = Binding("f", "follow", "Follow/unfollow", show=False, id="task.follow")
"""The binding a host adds at the end of its BINDINGS, after its own keys (so help lists it
after them)."""


class FollowActions(Screen[None]):
    """A screen where `f` follows a task, or stops. Subclass it instead of `Screen`, add
    `FOLLOW` to the BINDINGS, and tell which task with `follow_target()`."""

    def follow_target(self) -> tuple[int, str] | None:
        """(id, title) of the task `f` acts on; None when there is none."""
        raise NotImplementedError

    def action_follow(self) -> None:
        """Follow the task, or stop following it."""
        target = self.follow_target()
        if target is None:
            self.notify("There is no task here to follow.", severity="warning", markup=False)
            return
        if not can_write(self, "follow tasks"):
            return
        task_id, title = target
        agent = self.app.agent

        def done(following: bool) -> None:
            """Say which way it went."""
            said = ("Following" if following else "No longer following")
            self.notify(f"{said} #{task_id} {one_line(title, 50)}.", title="desk",
                        markup=False, timeout=4)

        run_service(self, lambda: notices.toggle_following(agent, task_id), done=done)
