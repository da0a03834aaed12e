"""Tag names: how they are read, their limits, and linking them to rows."""

from __future__ import annotations

import pytest

from desk.errors import InvalidInput
from desk.kernel import tags
from desk.models import Tag, TaskTag
from desk.work import tasks, workspace


def test_names_are_one_word_without_hash_duplicates_or_order():
    assert tags.names("#vip, billing  vip") == ("billing", "vip")
    assert tags.names(["#b", "a"]) == ("a", "b")
    assert tags.names(None) == ()


def test_typed_changes_add_tags_and_minus_removes_one():
    assert tags.changes("vip +#billing -spam") == (("billing", "vip"), ("spam",))
    assert tags.edited(("billing", "spam"), "vip -spam -never-there") == ("billing", "vip")
    assert tags.edited(("vip",), "vip") == ("vip",)
    with pytest.raises(InvalidInput, match="name a tag to add, or -tag to remove"):
        tags.edited(("vip",), "  ")


@pytest.mark.parametrize(("value", "message"), [
    (["two words"], "a tag is one word, not 'two words'"),
    (["#"], "a tag is one word, not '#'"),
    (["a\x00b"], "a tag cannot contain a NUL character"),
    (["x" * 101], r"a tag can have at most 100 characters; 'x{20}'\.\.\. has 101"),
])
def test_bad_names_are_refused(value, message):
    with pytest.raises(InvalidInput, match=message):
        tags.names(value)


def test_a_tag_of_100_characters_is_stored(admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    longest = "x" * 100
    task = tasks.create(admin, "Long tag", inbox.id, tags=[longest]).row
    assert task.tags == (longest,)


def test_relink_reuses_existing_tags_and_replaces_the_links(admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    first = tasks.create(admin, "First", inbox.id, tags=["vip", "billing"]).row
    second = tasks.create(admin, "Second", inbox.id, tags=["vip"]).row
    assert Tag.select().count() == 2

    tags.relink(TaskTag, "task", first.id, ["urgent", "vip"])
    tags.relink(TaskTag, "task", second.id, [])

    assert tasks.get(first.id).row.tags == ("urgent", "vip")
    assert tasks.get(second.id).row.tags == ()
    assert sorted(name for (name,) in Tag.select(Tag.name).tuples()) == ["billing", "urgent",
                                                                           "vip"]


def test_unknown_names_the_tags_that_linking_would_create(admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    tasks.create(admin, "Tagged", inbox.id, tags=["billing", "vip"])
    assert tags.unknown(["vip", "bil", "Billing", "billing", "zeta"]) == ("Billing", "bil",
                                                                          "zeta")
    assert tags.unknown(["billing"]) == ()
    assert tags.unknown([]) == ()
    assert Tag.select().count() == 2  # asking creates nothing
