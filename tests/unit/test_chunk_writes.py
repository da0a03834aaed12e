"""An import's statements written behind, on a thread of their own (desk.transfer.chunk_writes),
on SQLite and PostgreSQL: each chunk arrives whole or not at all, in the order handed over; a
failed statement is raised where the import waits and the statements after it are not run;
leaving the block on an error (Ctrl-C) commits the chunks handed over whole and rolls back
the one being handed over; a writing thread that cannot connect is named, not waited for;
the writing thread acts as the caller (an automation's actor); Python's switching is put
back once the last import ends; the ids reserved for a chunk are the ones the database would
give next, and are not given again."""

from __future__ import annotations

import sys
import time

import pytest
from peewee import IntegrityError, OperationalError

from desk.dialect import next_ids
from desk.kernel import audit
from desk.models import Activity, Tag, database
from desk.transfer import chunk_writes
from desk.transfer.chunk_writes import SWITCH_SECONDS, WritesBehind, writes_for
from desk.transfer.plan import Plan
from desk.transfer.records import Place


def add_tag(name: str, tag_id: int | None = None) -> None:
    """Insert a tag (with the given id)."""
    Tag.insert(name=name, **({"id": tag_id} if tag_id else {})).execute()


def tags() -> list[str]:
    """The tags' names, in id order."""
    return [name for (name,) in Tag.select(Tag.name).order_by(Tag.id).tuples()]


def test_chunks_are_committed_in_order_and_a_failed_statement_stops_the_rest(db):
    reported = []
    switch = sys.getswitchinterval()

    def progress(file: str, row: int) -> None:
        reported.append((file, row))

    with pytest.raises(IntegrityError), WritesBehind(Plan("clickup", dry_run=False),
                                                     progress) as writes:
        assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)
        writes.send(add_tag, "first")
        writes.send(add_tag, "second")
        writes.commit(Place("tasks.csv", 2))
        writes.send(add_tag, "third")
        writes.send(add_tag, "first")  # taken: the chunk fails here
        writes.send(add_tag, "fourth")
        writes.commit(Place("tasks.csv", 4))
    assert (tags(), reported) == (["first", "second"], [("tasks.csv", 2)])
    assert sys.getswitchinterval() == switch


def test_an_import_started_during_another_leaves_python_s_switching_to_the_first(db):
    switch = sys.getswitchinterval()
    first = WritesBehind(Plan("clickup", dry_run=False), None)
    second = WritesBehind(Plan("clickup", dry_run=False), None)
    with first:
        with second:
            assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)
        assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)
    assert sys.getswitchinterval() == switch


def test_a_step_waits_for_its_answer_and_raises_an_earlier_statement_s_error(db):
    with WritesBehind(Plan("clickup", dry_run=False), None) as writes:
        writes.send(add_tag, "one")
        assert writes.step(tags) == ["one"]  # in the chunk's own transaction
        writes.commit(Place("tasks.csv", 1))
    assert tags() == ["one"]
    with pytest.raises(IntegrityError), WritesBehind(Plan("clickup", dry_run=False),
                                                     None) as writes:
        writes.send(add_tag, "one")
        writes.step(tags)
    assert tags() == ["one"]


def test_leaving_on_an_error_here_rolls_back_the_chunk_being_handed_over(db):
    with pytest.raises(KeyboardInterrupt), WritesBehind(Plan("clickup", dry_run=False),
                                                        None) as writes:
        writes.send(add_tag, "kept")
        writes.commit(Place("tasks.csv", 1))
        writes.send(add_tag, "half")
        writes.step(tags)  # written, not committed
        raise KeyboardInterrupt
    assert tags() == ["kept"]


def test_a_chunk_handed_over_whole_is_committed_even_if_the_import_stops_at_once(db):
    with pytest.raises(KeyboardInterrupt), WritesBehind(Plan("clickup", dry_run=False),
                                                        None) as writes:
        writes.send(time.sleep, 0.2)  # the writing thread is still busy when the stop comes
        writes.send(add_tag, "whole")
        writes.commit(Place("tasks.csv", 1))
        writes.send(add_tag, "half")
        raise KeyboardInterrupt
    assert tags() == ["whole"]


def test_the_writing_thread_acts_as_the_caller(db, admin):
    with audit.acting_as("rule: welcome", 1), WritesBehind(Plan("clickup", dry_run=False),
                                                            None) as writes:
        writes.send(audit.record_many, "task", [(7, {"note": (None, "hello")})], admin, None,
                    "comments.imported")
        writes.commit(Place("tasks.csv", 1))
    assert [(row.actor, row.new) for row in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == 7))] == [("rule: welcome", "hello")]


def test_inside_a_caller_s_transaction_the_statements_run_on_its_connection(db):
    with database.atomic():
        writes = writes_for(Plan("clickup", dry_run=False), None)
        assert not isinstance(writes, WritesBehind)
    assert isinstance(writes_for(Plan("clickup", dry_run=False), None), WritesBehind)
    assert not isinstance(writes_for(Plan("clickup", dry_run=True), None), WritesBehind)


def test_reserved_ids_are_the_next_ones_and_are_not_given_again(db):
    add_tag("before")
    with database.atomic():
        reserved = next_ids(Tag, 3)
        for number, tag_id in enumerate(reserved):
            add_tag(f"reserved{number}", tag_id)
    add_tag("after")
    ids = [tag_id for (tag_id,) in Tag.select(Tag.id).order_by(Tag.id).tuples()]
    assert reserved == ids[1:4] and ids[4] > ids[3] and next_ids(Tag, 0) == []
    assert tags() == ["before", "reserved0", "reserved1", "reserved2", "after"]


def test_a_writing_thread_that_cannot_connect_is_named_instead_of_waited_for(db, monkeypatch):
    class Full:
        """A database whose every connection is in use."""

        def connection_context(self):
            raise OperationalError("database busy: all 8 connections of this app are in use")

    monkeypatch.setattr(chunk_writes, "database", Full())
    monkeypatch.setattr(chunk_writes, "WAKE_SECONDS", 0.01)
    with pytest.raises(OperationalError, match="database busy"), WritesBehind(
            Plan("clickup", dry_run=False), None) as writes:
        writes.step(tags)
