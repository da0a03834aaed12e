"""Completion for the query bar: what finishes the term being typed (pure), the values read
from the workspace, client-name look-ups and the value check (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from desk.crm import clients
from desk.errors import InvalidInput, QueryError
from desk.work import suggest, tasks, workspace

TASKS = suggest.Vocabulary("tasks", {
    **suggest.fixed("tasks").values,
    "status": ("open", "active", "done", "closed", "New", "Waiting on customer"),
    "assignee": ("me", "maria", "tom", "none"),
    "tag": ("billing", "backup", "none"),
})


def options(text: str, vocabulary: suggest.Vocabulary = TASKS) -> tuple[str, ...]:
    """The completion options for `text`."""
    return suggest.complete(text, vocabulary).options


def test_field_names_complete_with_their_colon():
    assert options("st") == ("status:", "start:")
    assert options("prio") == ("priority:",)
    assert "text:" not in options("")


def test_a_negated_term_keeps_its_sign():
    completion = suggest.complete("-pri", TASKS)
    assert completion.apply("-pri") == "-priority:"


def test_values_of_the_field_being_typed():
    assert options("status:") == ("open", "active", "done", "closed", "New",
                                  '"Waiting on customer"')
    assert options("status:a") == ("active",)
    assert options("@m") == ("me", "maria")
    assert options("-#bil") == ("billing",)


def test_values_with_spaces_are_quoted_whether_or_not_a_quote_was_typed():
    for typed in ("status:wait", 'status:"wait', "status:WAIT"):
        completion = suggest.complete(typed, TASKS)
        assert completion.apply(typed) == 'status:"Waiting on customer"'


def test_the_last_value_of_a_list_is_completed():
    assert suggest.complete("status:open,clo", TASKS).apply("status:open,clo") == \
        "status:open,closed"
    text = 'status:"Waiting on customer",ne'
    assert suggest.complete(text, TASKS).apply(text) == 'status:"Waiting on customer",New'


def test_only_the_last_term_is_completed():
    text = 'kind:query "printer jam" is:ov'
    assert suggest.complete(text, TASKS).apply(text) == 'kind:query "printer jam" is:overdue'


def test_comparisons_on_dates_offer_moments():
    assert options("due<to") == ("today", "tomorrow")
    assert "week" in options("due:")
    assert "overdue" in options("due:") and "overdue" not in options("start:")


def test_nothing_is_offered_for_unknown_fields_and_phrases():
    assert options("colour:re") == ()
    assert options('"printer ja') == ()
    assert options("printerjam") == ()


def test_inline_suggestion_only_continues_what_was_typed():
    assert suggest.complete("stat", TASKS).suggestion("stat") == "status:"
    assert suggest.complete("status:AC", TASKS).suggestion("status:AC") == "status:active"
    assert suggest.complete("status:wait", TASKS).suggestion("status:wait") is None  # quote
    assert suggest.complete("status:", TASKS).suggestion("status:") is None  # nothing typed
    assert suggest.complete("status:done", TASKS).suggestion("status:done") is None


def test_apply_cycles_through_the_options():
    completion = suggest.complete("@", TASKS)
    assert [completion.apply("@", index) for index in range(5)] == [
        "@me", "@maria", "@tom", "@none", "@me"]


def test_client_scope_has_its_own_fields_and_values():
    vocabulary = suggest.fixed("clients")
    assert suggest.complete("lifec", vocabulary).options == ("lifecycle:",)
    assert suggest.complete("stage:at", vocabulary).options == ("at_risk",)
    assert suggest.complete("@", vocabulary).options == ("me", "none")  # @ is the manager
    assert suggest.complete("is:", vocabulary).options == ("overdue", "confidential",
                                                           "retained", "archived")


def test_client_names_are_offered_first_for_the_name_field():
    tasks_names = suggest.fixed("tasks").with_names(["Acme Corp", "Apex"])
    assert suggest.complete("client:", tasks_names).options == ('"Acme Corp"', "Apex", "none")
    client_names = suggest.fixed("clients").with_names(["Acme Corp"])
    assert suggest.complete("name:ac", client_names).options == ('"Acme Corp"',)


def test_values_with_control_characters_are_never_offered():
    hostile = suggest.fixed("tasks").with_names(["Acme\x1b[2J", "Acme Ltd"])
    assert suggest.complete("client:acm", hostile).options == ('"Acme Ltd"',)


def test_typing_names_the_field_and_where_the_item_starts():
    item = suggest.typing('-client:"Acme', "tasks")
    assert (item.field, item.op, item.typed, item.start, item.raw) == (
        "client", ":", '"Acme', 8, "Acme")
    assert suggest.typing("due>=to", "tasks").op == ">="
    assert suggest.typing("stat", "tasks").field is None


def test_an_unknown_scope_is_refused():
    with pytest.raises(InvalidInput):
        suggest.fixed("orders")


# --- reading the workspace ----------------------------------------------------------------


def test_vocabulary_reads_statuses_tags_agents_lists_spaces(db, admin):
    workspace.create_space(admin, "Support")
    ref = workspace.create_list(admin, "Support", "Helpdesk",
                                (("New", "open"), ("Waiting on customer", "active")))
    tasks.create(admin, "Printer", ref.id, tags=["printer", "network"])
    values = suggest.vocabulary("tasks").values
    assert values["status"][:4] == ("open", "active", "done", "closed")
    assert {"New", "Waiting on customer"} <= set(values["status"])
    assert values["tag"] == ("network", "printer", "none")
    assert values["assignee"] == ("me", admin.username, "none")
    assert "Helpdesk" in values["list"] and "Support" in values["space"]
    assert suggest.vocabulary("clients").values["manager"] == ("me", admin.username, "none")


def test_client_names_start_with_the_prefix_and_wildcards_are_literal(db, admin):
    for name in ("Acme Corp", "acme labs", "Apex", "50% Off Ltd"):
        clients.create(admin, name)
    assert suggest.client_names("ACM") == ["Acme Corp", "acme labs"]
    assert suggest.client_names("%") == []
    assert suggest.client_names("50%") == ["50% Off Ltd"]
    assert len(suggest.client_names("", limit=2)) == 2


def test_check_points_at_a_wrong_value(db, context):
    with pytest.raises(QueryError) as raised:
        suggest.check("tasks", "@me priority:urgnt", context)
    assert raised.value.position == len("@me priority:")
    with pytest.raises(QueryError):
        suggest.check("clients", "stage:sleeping", context)
    suggest.check("tasks", "status:open @me due<fri", context)  # a good query passes
