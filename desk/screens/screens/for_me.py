"""The For me screen: what is for the agent, unread first, newest first (desk.work.for_me).

Notes that @mention them, tasks assigned to them, and replies, requesters' messages and
notes on the tasks they follow. `enter` opens the task and marks its notices read; `f`
follows or unfollows its task (as on the task screen and the lists); `a` shows every
notice, also those read more than a week ago, or only the recent ones again. Opened from the
palette ("For me"); the key bar counts the unread ones (desk.screens.actions.app.for_me_count).
Escape goes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.content import Content

from desk.screens.actions.calls import run_service
from desk.screens.actions.following import FOLLOW, FollowActions
from desk.screens.grammar import nav
from desk.screens.renderers.for_me_lines import for_me_lines
from desk.screens.screens.record_list import RecordListScreen
from desk.work import for_me
from desk.work.for_me import ForMeRow


class ForMeScreen(RecordListScreen, FollowActions):
    """The agent's mentions, assignments and news on followed tasks; enter opens one, `f`
    stops following its task (or follows it again)."""

    TITLE = "For me"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        nav("nav.open", "edit", "Open", show=True),
        Binding("a", "everything", "All/recent", id="forme.all"),
        FOLLOW,
    ]
    HINT = ("{nav.open} opens the task and marks it read · {task.follow} follows or unfollows "
            "it · {forme.all} all or recent · {nav.back} back")
    EMPTY = "Nothing for you: mentions, assignments and news on tasks you follow land here."
    LIST_ID = "forme-list"

    everything = False
    """Whether every notice is listed, or the unread ones and those read this week."""

    def load(self) -> list[ForMeRow]:
        """In a worker: the agent's notices."""
        return for_me.rows(self.app.agent, everything=self.everything)

    def render_item(self, item: ForMeRow, width: int) -> list[Content]:
        """A notice: the task, then who did what and when."""
        return for_me_lines(item, width, self.app.now().tzinfo)

    def action_edit(self) -> None:
        """Open the task under the cursor; its notices are marked read (an agent's: a
        viewer's stay as they are, since a viewer changes nothing)."""
        item = self.current
        if item is None:
            return
        agent = self.app.agent
        if agent.can_write and not item.read:
            run_service(self, lambda: for_me.mark_read(agent, item.task_id), done=self.reload)
        self.app.open_task(item.task_id)

    def follow_target(self) -> tuple[int, str] | None:
        """`f` acts on the task of the notice under the cursor."""
        item = self.current
        return None if item is None else (item.task_id, item.title)

    def action_everything(self) -> None:
        """List every notice, or only the recent ones again."""
        self.everything = not self.everything
        self.sub_title = f"{self.TITLE} (all)" if self.everything else self.TITLE
        self.reload()
