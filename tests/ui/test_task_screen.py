"""The task screen over the demo workspace: every field edited by keys (checked in the
database), checklists, subtasks, comments, history, viewers, hostile text and 80x24."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from textual.color import Color
from textual.widgets import Input, Markdown, OptionList, Static

from desk.kernel import agents
from desk.models import Client, QueryData, Task
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.checklist_panel import ChecklistPanel
from desk.screens.widgets.comment_list import CommentList
from desk.screens.widgets.subtask_list import SubtaskList
from desk.screens.widgets.task_fields import FieldsPanel
from desk.screens.widgets.task_history import HistoryList
from desk.support import intake
from desk.work import checklists, comments, custom_fields, orders, tasks, workspace

from .conftest import press, settle, type_text
from .test_themes import LEAST_CONTRAST, contrast

SIZE = (80, 24)
HOSTILE_TITLE = "[/] [@click=app.quit]x[/]"


def lines(widget) -> list[str]:
    """What a widget shows, line by line (right-stripped)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def text(widget) -> str:
    """What a widget shows, as one string."""
    return "\n".join(lines(widget))


def statics_text(node) -> str:
    """The text of every Static in `node` (a modal, the Markdown description's blocks)."""
    return "\n".join(str(static.render()) for static in node.query(Static))


def new_task(app, title: str = "Plan the offsite", **fields) -> int:
    """A fresh task in the Internal list, made by the acting agent."""
    with app.database.connection_context():
        internal = workspace.find_list("Internal").id
        return tasks.create(app.agent, title, internal, **fields).row.id


def stored(app, task_id: int) -> tasks.TaskDetail:
    """The task as the database has it now."""
    with app.database.connection_context():
        return tasks.get(task_id)


async def open_task(pilot, task_id: int) -> TaskScreen:
    """Open the task screen and wait until it shows the task."""
    pilot.app.open_task(task_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TaskScreen) and screen.page is not None
    return screen


async def type_in(pilot, value: str) -> None:
    """Replace what the focused input holds with `value`, then press enter."""
    await press(pilot, "ctrl+a", "ctrl+k")
    await type_text(pilot, value)
    await press(pilot, "enter")


async def go_to_field(pilot, key: str) -> None:
    """Move the fields panel's cursor to the field `key` with g and j."""
    panel = pilot.app.screen.query_one(FieldsPanel)
    panel.focus()
    index = panel.index_of(lambda field: field.key == key)
    assert index is not None, key
    await press(pilot, "g", *["j"] * index)
    assert panel.current_key == key


async def focus(pilot, kind) -> object:
    """Tab until a widget of `kind` has the focus."""
    for _ in range(10):
        if isinstance(pilot.app.focused, kind):
            return pilot.app.focused
        await press(pilot, "tab")
    raise AssertionError(f"no {kind.__name__} took the focus")


def prompt_error(app) -> str:
    """The in-place error of the open prompt."""
    return str(app.screen.query_one("#prompt-error", Static).render())


def field_text(screen: TaskScreen, label: str) -> str:
    """The line of the fields panel that starts with `label`."""
    return next(line for line in lines(screen.query_one(FieldsPanel))
                if line.startswith(label))


# --- fields --------------------------------------------------------------------------------


async def test_a_query_says_who_asked_and_how_with_hostile_names_as_text(desk_app):
    app = desk_app()
    with app.database.connection_context():
        query = (QueryData.select().where(QueryData.requester_email.is_null(False),
                                          QueryData.channel == "email").first())
        QueryData.update(requester_name=HOSTILE_TITLE).where(
            QueryData.task == query.task_id).execute()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, query.task_id)
        shown = lines(screen.query_one(FieldsPanel))
        at = next(index for index, line in enumerate(shown) if line.startswith("From"))
        words = " ".join(" ".join(shown[at:at + 2]).split())  # a long line wraps
        assert words.startswith(f"From {HOSTILE_TITLE} <{query.requester_email}> · via email")
        other = new_task(app)
        screen = await open_task(pilot, other)
        assert not any(line.startswith("From") for line in lines(screen.query_one(FieldsPanel)))


async def test_title_status_and_priority_are_edited_by_keys(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        assert "Plan the offsite" in field_text(screen, "Title")

        await press(pilot, "T")
        assert isinstance(app.screen, PromptScreen)
        await type_in(pilot, "Plan the spring offsite")
        assert stored(app, task_id).row.title == "Plan the spring offsite"
        assert "Plan the spring offsite" in field_text(screen, "Title")

        await press(pilot, "s")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
                ] == ["To do · open", "In progress · active", "Done · done", "Dropped · closed"]
        await type_text(pilot, "progress")
        await press(pilot, "enter")
        assert stored(app, task_id).row.status == "In progress"
        assert "In progress  (active)" in field_text(screen, "Status")

        await press(pilot, "p")
        await type_text(pilot, "urg")
        await press(pilot, "enter")
        assert stored(app, task_id).row.priority == "urgent"
        assert "urgent" in field_text(screen, "Priority")


async def test_an_edit_prompt_opens_with_the_cursor_at_the_end_of_its_value(desk_app):
    app = desk_app()
    task_id = new_task(app)
    long_title = "Plan the offsite " * 5 + "and the end shows"
    long_id = new_task(app, long_title)
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot, task_id)
        await press(pilot, "T")
        field = app.screen.query_one(Input)
        assert field.selection.is_empty and field.cursor_position == len("Plan the offsite")
        await press(pilot, "space")  # the first key typed adds to the title
        await type_text(pilot, "(December)")
        await press(pilot, "enter")
        assert stored(app, task_id).row.title == "Plan the offsite (December)"

        await open_task(pilot, long_id)
        await press(pilot, "T")
        field = app.screen.query_one(Input)
        assert field.cursor_position == len(long_title)
        assert lines(field)[-1].endswith("and the end shows")  # the cursor's end is in view


async def test_assignees_are_typed_and_an_unknown_name_is_refused_in_place(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "a")
        await type_in(pilot, "maria, nobody")
        assert isinstance(app.screen, PromptScreen)
        assert "Assignees: no agent named nobody" in prompt_error(app)
        assert stored(app, task_id).row.assignees == ()

        await type_in(pilot, "maria, tom")
        assert stored(app, task_id).row.assignees == ("maria", "tom")
        assert "maria, tom" in field_text(screen, "Assignees")


async def test_dates_are_typed_naturally_and_a_bad_one_is_refused_in_place(desk_app):
    app = desk_app()  # the clock reads Friday 2026-11-20 10:00 UTC
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "d")
        await type_in(pilot, "someday")
        assert isinstance(app.screen, PromptScreen)
        error = prompt_error(app)
        assert error.startswith("Due: cannot read 'someday' as a date")
        assert "fri 15:00, tomorrow 9:00, in 3 days, dec 24, next week, eod" in error
        assert stored(app, task_id).row.due_at is None

        await type_in(pilot, "tomorrow")
        assert stored(app, task_id).row.due_at == datetime(2026, 11, 21, 23, 59, 59)
        assert field_text(screen, "Due").endswith("2026-11-21 23:59")  # no seconds shown

        await press(pilot, "d")
        await type_in(pilot, "fri")
        assert stored(app, task_id).row.due_at == datetime(2026, 11, 27, 23, 59, 59)

        await press(pilot, "d")
        await type_in(pilot, "2026-12-01 14:00")
        assert stored(app, task_id).row.due_at == datetime(2026, 12, 1, 14, 0)

        await press(pilot, "S")
        await type_in(pilot, "+3d")
        assert stored(app, task_id).start_at == datetime(2026, 11, 23, 0, 0)
        assert "2026-11-23 00:00" in field_text(screen, "Start")

        await press(pilot, "S")
        await type_in(pilot, "")
        assert stored(app, task_id).start_at is None


def prompt_preview(app) -> str:
    """The live preview line of the open prompt."""
    return str(app.screen.query_one("#prompt-preview", Static).render())


async def test_a_date_prompt_previews_the_date_understood_as_it_is_typed(desk_app):
    app = desk_app()  # the clock reads Friday 2026-11-20 10:00 UTC
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "d")
        assert prompt_preview(app) == "empty: clears the date"
        for typed, understood in [("fri 15:00", "→ Fri 27 Nov 15:00"),
                                  ("tomorrow 9:00", "→ Sat 21 Nov 09:00"),
                                  ("dec 24", "→ Thu 24 Dec end of day"),
                                  ("in 3 days", "→ Mon 23 Nov end of day"),
                                  ("eod", "→ Fri 20 Nov end of day"),
                                  ("next week", "→ Sun 29 Nov end of day"),
                                  ("jan 5 9am", "→ Tue 5 Jan 2027 09:00")]:
            await press(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, typed)
            assert prompt_preview(app) == understood, typed
            assert not app.screen.query_one("#prompt-preview").has_class("dialog-error")

        await press(pilot, "ctrl+a", "ctrl+k")
        await type_text(pilot, "fri 15")
        assert prompt_preview(app).startswith("Due: cannot read 'fri 15' as a date; try fri")
        assert app.screen.query_one("#prompt-preview").has_class("dialog-error")
        assert stored(app, task_id).row.due_at is None

        await type_in(pilot, "fri 15:00")
        assert stored(app, task_id).row.due_at == datetime(2026, 11, 27, 15, 0)
        assert "2026-11-27 15:00" in field_text(screen, "Due")


async def test_client_is_searched_and_tags_are_typed(desk_app):
    app = desk_app()
    task_id = new_task(app)
    with app.database.connection_context():
        client = Client.select().where(Client.name == "Grace Whitfield").get()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "c")
        await type_text(pilot, "whitf")
        options = app.screen.query_one(OptionList)
        assert "Grace Whitfield" in str(options.get_option_at_index(1).prompt)
        await press(pilot, "down", "enter")
        assert stored(app, task_id).row.client_id == client.id
        assert "Grace Whitfield" in field_text(screen, "Client")

        await press(pilot, "t")
        await type_in(pilot, "#billing, renewal")
        assert stored(app, task_id).row.tags == ("billing", "renewal")
        assert "#billing #renewal" in field_text(screen, "Tags")

        await press(pilot, "t")  # adds, as on a list; -tag removes one
        prompt = app.screen
        assert prompt.query_one("#prompt-input", Input).value == ""
        assert "Now: #billing #renewal" in statics_text(prompt)
        await type_text(pilot, "-billing ren")
        await press(pilot, "tab")  # completes the word being typed
        assert prompt.query_one("#prompt-input", Input).value == "-billing renewal"
        await type_text(pilot, " newone")
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)  # newone is no tag yet: asked first
        await press(pilot, "enter")  # "no" is preselected: the editor again, as typed
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one("#prompt-input", Input).value == "-billing renewal newone"
        await press(pilot, "enter", "down", "enter")  # yes, create it
        assert stored(app, task_id).row.tags == ("newone", "renewal")

        await press(pilot, "t", "enter")  # nothing typed: refused in place, nothing changes
        assert prompt_error(app) == "name a tag to add, or -tag to remove"
        await press(pilot, "escape")
        assert stored(app, task_id).row.tags == ("newone", "renewal")

        await press(pilot, "c", "enter")  # "(no client)" comes first: unlink
        assert stored(app, task_id).row.client_id is None


async def test_custom_field_is_checked_in_place_then_stored(desk_app):
    app = desk_app()
    task_id = new_task(app)
    with app.database.connection_context():
        custom_fields.define(app.agent, workspace.find_list("Internal").id, "Budget", "money")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await go_to_field(pilot, "custom:Budget")
        await press(pilot, "enter")
        await type_in(pilot, "lots")
        assert "field 'Budget' (money)" in prompt_error(app)
        await type_in(pilot, "1200.5")
        with app.database.connection_context():
            assert custom_fields.values_for_task(task_id) == {"Budget": "1200.50"}
        assert "£1,200.50" in field_text(screen, "Budget")


async def test_description_is_written_as_markdown(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "D")
        assert isinstance(app.screen, WriteTextScreen)
        await type_text(pilot, "# Agenda")
        await press(pilot, "enter")
        await type_text(pilot, "Book the *venue*")
        await press(pilot, "ctrl+j")
        assert stored(app, task_id).description == "# Agenda\nBook the *venue*"
        shown = statics_text(screen.query_one(Markdown))
        assert "Agenda" in shown and "Book the venue" in shown and "*" not in shown


async def test_a_long_description_is_drawn_in_part_and_edited_whole(desk_app):
    # an e-mail thread of some 40 KB: the screen draws its first paragraphs and says what
    # is left out; the editor holds every word, the last paragraph's included
    paragraph = "On Monday you wrote: the printer on the second floor jams again. " * 3
    description = "\n\n".join([paragraph] * 200 + ["The last paragraph, to the end."])
    app = desk_app()
    task_id = new_task(app, description=description)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        shown = statics_text(screen.query_one(Markdown))
        assert "second floor jams" in shown and "The last paragraph" not in shown
        source = screen.query_one(Markdown).source  # cut where a paragraph ends
        assert 5_000 < len(source) <= 10_000 and source.endswith("jams again. ")
        more = screen.query_one("#task-description-more", Static)
        assert more.display and str(more.render()) == (
            f"… {len(description) - len(source):,} more characters: D opens the whole "
            "description")
        blocks = list(screen.query_one(Markdown).children)
        screen.reload()  # as after any change to the task: the same description stays drawn
        await settle(pilot)
        assert [id(block) for block in screen.query_one(Markdown).children] == [
            id(block) for block in blocks]
        await press(pilot, "D")
        assert isinstance(app.screen, WriteTextScreen)
        assert app.screen.query_one("#write-text").text == description


async def test_a_short_description_is_drawn_whole(desk_app):
    app = desk_app()
    task_id = new_task(app, description="Book the venue.\n\nThen the caterer.")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        assert "Then the caterer." in statics_text(screen.query_one(Markdown))
        assert not screen.query_one("#task-description-more", Static).display


async def test_order_quantity_and_product_are_edited_and_the_total_follows(desk_app):
    app = desk_app()
    with app.database.connection_context():
        order_id = Task.select(Task.id).where(Task.kind == "order").order_by(Task.id).first().id
        before = orders.order_data(order_id)
        other = next(p for p in orders.products() if p.id != before.product_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, order_id)
        await go_to_field(pilot, "order:quantity")
        await press(pilot, "e")
        await type_in(pilot, "0")
        assert "quantity must be a whole number above 0" in prompt_error(app)
        await type_in(pilot, "3")
        with app.database.connection_context():
            after = orders.order_data(order_id)
        assert (after.quantity, after.total) == (3, before.unit_price * 3)
        assert f"£{before.unit_price * 3:,.2f}" in field_text(screen, "Total")

        await go_to_field(pilot, "order:product")
        await press(pilot, "enter")
        await type_text(pilot, other.name)
        await press(pilot, "enter")
        with app.database.connection_context():
            changed = orders.order_data(order_id)
        assert (changed.product_id, changed.unit_price) == (other.id, other.unit_price)
        assert changed.total == other.unit_price * 3
        assert other.name in field_text(screen, "Product")


# --- checklists, subtasks, comments, history --------------------------------------------------


async def test_checklists_add_toggle_nest_reorder_and_delete(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        panel = await focus(pilot, ChecklistPanel)
        await press(pilot, "L")
        await type_in(pilot, "Venue")
        await press(pilot, "i")
        await type_in(pilot, "Call hotels")
        await press(pilot, "i")
        await type_in(pilot, "Sign contract")
        await press(pilot, "I")
        await type_in(pilot, "Read the small print")
        assert lines(panel) == ["☰ Venue  0/3 ░░░░░░░░░░", "  [ ] Call hotels",
                                "  [ ] Sign contract", "    [ ] Read the small print"]

        await press(pilot, "g", "j", "space")  # tick "Call hotels"
        assert lines(panel)[:2] == ["☰ Venue  1/3 ███░░░░░░░", "  [x] Call hotels"]
        done = [segment for segment in panel.render_line(1) if "Call hotels" in segment.text]
        assert done and done[0].style.strike and not done[0].style.dim  # struck, not faint,
        assert contrast(Color.from_rich_color(done[0].style.color),  # and readable
                        Color.from_rich_color(done[0].style.bgcolor)) >= LEAST_CONTRAST

        await press(pilot, "j", "K")  # "Sign contract" moves up, its nested item with it
        with app.database.connection_context():
            (view,) = checklists.for_task(task_id)
        assert [item.text for item in view.items] == ["Sign contract", "Call hotels"]
        assert [child.text for child in view.items[0].children] == ["Read the small print"]
        assert panel.current.item.text == "Sign contract"

        await press(pilot, "delete")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")  # "Delete “Sign contract” and the 1 items under it"
        with app.database.connection_context():
            (view,) = checklists.for_task(task_id)
        assert [item.text for item in view.items] == ["Call hotels"]
        assert lines(panel) == ["☰ Venue  1/1 ██████████", "  [x] Call hotels"]

        await press(pilot, "U")  # copy a checklist template
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")
        with app.database.connection_context():
            names = [view.name for view in checklists.for_task(task_id)]
            first_template = checklists.templates()[0]
        assert names == ["Venue", first_template.name]
        assert f"☰ {first_template.name}  0/" in text(screen.query_one(ChecklistPanel))


async def test_subtask_is_created_and_opened_and_escape_comes_back(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "N")
        await type_in(pilot, "Book flights")
        with app.database.connection_context():
            (subtask,) = tasks.get(task_id).subtasks
        assert subtask.title == "Book flights" and subtask.parent_id == task_id
        subtasks = screen.query_one(SubtaskList)
        assert app.focused is subtasks and "Book flights" in text(subtasks)

        await press(pilot, "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == subtask.id
        assert f"task #{task_id}" in field_text(app.screen, "Parent")
        await press(pilot, "escape")
        assert app.screen is screen


async def test_replies_and_notes_are_stored_and_shown_distinctly(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "r")
        await type_text(pilot, "We booked it")
        await press(pilot, "ctrl+j")
        await press(pilot, "n")
        await type_text(pilot, "Ask finance first")
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            stored_comments = comments.for_task(task_id)
        assert [(c.kind, c.body) for c in stored_comments] == [
            ("reply", "We booked it"), ("note", "Ask finance first")]
        shown = lines(screen.query_one(CommentList))
        assert shown[0].startswith("↩ REPLY TO CLIENT · ") and shown[1] == "┃ We booked it"
        assert shown[3].startswith("✎ INTERNAL NOTE · ") and shown[4] == "┆ Ask finance first"

        await focus(pilot, CommentList)
        await press(pilot, "e")  # append-only: nothing opens
        assert app.screen is screen
        with app.database.connection_context():
            assert len(comments.for_task(task_id)) == 2


async def test_a_customer_message_our_reply_and_a_note_are_three_looks(desk_app):
    app = desk_app()
    task_id = new_task(app)
    with app.database.connection_context(), app.database.atomic():
        intake.add_message(app.agent, task_id, "message", "Ana Lima <ana@example.com>",
                           "The invoice is wrong", None, datetime(2026, 11, 20, 9, 0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "r")
        await type_text(pilot, "We fixed it")
        await press(pilot, "ctrl+j")
        await press(pilot, "n")
        await type_text(pilot, "Refund approved")
        await press(pilot, "ctrl+j")
        widget = screen.query_one(CommentList)
        shown = lines(widget)
        assert shown[0] == "✉ FROM CLIENT · Ana Lima <ana@example.com> · 2026-11-20 09:00"
        assert shown[1] == "│ The invoice is wrong"
        assert shown[3].startswith(f"↩ REPLY TO CLIENT · {app.agent.name} · ")
        assert shown[4] == "┃ We fixed it"
        assert shown[6].startswith(f"✎ INTERNAL NOTE · {app.agent.name} · ")
        assert shown[7] == "┆ Refund approved"
        colours = {str(widget.get_visual_style(f"comment-list--{kind}").foreground)
                   for kind in ("message", "reply", "note")}
        assert len(colours) == 3  # each look has its own colour too


async def test_history_shows_a_change(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        await press(pilot, "s")
        await type_text(pilot, "done")
        await press(pilot, "enter")
        first = lines(screen.query_one(HistoryList))[0]
        assert first.startswith("2026-") and "Status: To do → Done" in first


# --- conflicts ---------------------------------------------------------------------------------


async def conflict_on_title(pilot, task_id: int) -> None:
    """Another agent saves a title while this screen edits it: the dialog opens."""
    app = pilot.app
    await open_task(pilot, task_id)
    with app.database.connection_context():
        maria = agents.ref(agents.find("maria"))
        version = tasks.get(task_id).row.version
        tasks.update(maria, task_id, version, title="Their title")
    await press(pilot, "T")
    await type_in(pilot, "My title")
    shown = statics_text(app.screen)
    assert "Title" in shown and "Their title" in shown and "My title" in shown
    assert "saved by maria" in shown


async def test_conflict_dialog_keeps_theirs(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        await conflict_on_title(pilot, task_id)
        await press(pilot, "t")
        assert isinstance(app.screen, TaskScreen)
        assert stored(app, task_id).row.title == "Their title"
        assert "Their title" in field_text(app.screen, "Title")


async def test_conflict_dialog_overwrites_with_mine(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        await conflict_on_title(pilot, task_id)
        await press(pilot, "o")
        assert isinstance(app.screen, TaskScreen)
        assert stored(app, task_id).row.title == "My title"
        assert "My title" in field_text(app.screen, "Title")


async def test_conflict_dialog_cancel_goes_back_to_the_draft(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        await conflict_on_title(pilot, task_id)
        await press(pilot, "escape")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "My title"
        assert "theirs: Their title" in str(app.screen.query_one("#prompt-hint").render())
        assert stored(app, task_id).row.title == "Their title"
        await type_in(pilot, "Our title")  # saved at the version the dialog showed
        assert stored(app, task_id).row.title == "Our title"


# --- viewers, hostile text, live data, 80x24 ---------------------------------------------------


async def test_viewer_edit_keys_are_refused_with_the_reason(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.ref(agents.find("sam"))
    app = desk_app(agent=viewer)
    with demo_db.connection_context():
        task_id = Task.select(Task.id).order_by(Task.id).first().id
        before = tasks.get(task_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        for key in ("s", "T", "d", "r", "n", "N", "enter"):
            await press(pilot, key)
            assert app.screen is screen, key
        await focus(pilot, ChecklistPanel)
        await press(pilot, "L", "i")
        assert app.screen is screen
        notices = [str(n.message) for n in app._notifications]
        assert any("You are a viewer, so you cannot change the status" in n for n in notices)
        assert any("cannot reply to the client" in n for n in notices)
    assert stored(app, task_id) == before


async def test_hostile_text_shows_literally_and_links_do_nothing(desk_app):
    app = desk_app()
    task_id = new_task(app, HOSTILE_TITLE,
                       description="Hi \x1b[2J there [click](app.quit) [/]")
    with app.database.connection_context():
        comments.note(app.agent, task_id, "note \x1b]52;c;aGk=\x07 [@click=app.quit]y[/]")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        assert HOSTILE_TITLE in field_text(screen, "Title")
        description = screen.query_one(Markdown)
        assert "Hi ␛[2J there click [/]" in statics_text(description)
        note = lines(screen.query_one(CommentList))[1]
        assert note == "┆ note ␛]52;c;aGk=␇ [@click=app.quit]y[/]"

        block = screen.query_one(Markdown).children[0]
        await app.run_action("link('app.quit')", block)  # what a click on the link runs
        await settle(pilot)
        assert app.is_running and app.screen is screen
        assert any("does not open links" in str(n.message) for n in app._notifications)

        await press(pilot, "T")
        await type_in(pilot, "[b]bold[/b] \\x1b")
        assert stored(app, task_id).row.title == "[b]bold[/b] \\x1b"
        assert "[b]bold[/b] \\x1b" in field_text(screen, "Title")


async def test_data_changed_reloads_unless_a_draft_is_open(desk_app):
    app = desk_app()
    task_id = new_task(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, task_id)
        with app.database.connection_context():
            maria = agents.ref(agents.find("maria"))
            tasks.update(maria, task_id, 1, priority="low")
        screen.data_changed()
        await settle(pilot)
        assert "low" in field_text(screen, "Priority")

        await press(pilot, "T", "end")
        await type_text(pilot, " draft")
        with app.database.connection_context():
            tasks.update(maria, task_id, 2, priority="high")
        screen.data_changed()
        await settle(pilot)
        assert app.screen.query_one(Input).value == "Plan the offsite draft"
        assert "low" in field_text(screen, "Priority")
        await press(pilot, "escape")
        assert "high" in field_text(screen, "Priority")


async def test_every_section_can_be_reached_at_80x24(desk_app):
    app = desk_app()
    with app.database.connection_context():
        order_id = Task.select(Task.id).where(Task.kind == "order").order_by(Task.id).first().id
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_task(pilot, order_id)
        for kind in (ChecklistPanel, SubtaskList, CommentList, HistoryList):
            widget = await focus(pilot, kind)
            await settle(pilot)
            row = widget.region.y
            assert 1 <= row < SIZE[1] - 1, kind.__name__
            assert screen.get_widget_at(2, row)[0] is widget
        history = screen.query_one(HistoryList)
        await press(pilot, "G")
        last = history.region.y + history.region.height - 1
        assert last < SIZE[1] - 1 and screen.get_widget_at(2, last)[0] is history


async def test_unit_price_keeps_two_decimals(desk_app):
    app = desk_app()
    with app.database.connection_context():
        order_id = Task.select(Task.id).where(Task.kind == "order").order_by(Task.id).first().id
    async with app.run_test(size=SIZE) as pilot:
        await open_task(pilot, order_id)
        await go_to_field(pilot, "order:unit_price")
        await press(pilot, "enter")
        await type_in(pilot, "-1")
        assert "unit price cannot be negative" in prompt_error(app)
        await type_in(pilot, "99.9")
        with app.database.connection_context():
            assert orders.order_data(order_id).unit_price == Decimal("99.90")
