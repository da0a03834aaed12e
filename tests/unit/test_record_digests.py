"""A record's digest is what an import compares with the one it kept: it must come out the
same from one desk to the next, or every task of a source imported before would read as
changed (an update and an audit row each) the first time it is imported again after an
upgrade. The digests below are those the desk before records became msgspec Structs
(commit 59d9fd4) worked out for the same records."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desk.transfer.records import (
    ClientRecord,
    CommentRecord,
    Place,
    Recurrence,
    TaskRecord,
    fingerprint,
    first_fingerprint,
)

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

TASK = TaskRecord(
    "t-1", Place("tasks.csv", 2, "Task ID"), "Close the books \u00e9 'q' \"d\"", "Finance",
    "Month end", status="To do", category="open", priority="high", tags=("finance", "month"),
    people=("maria",), due_at=AT, created_at=datetime(2026, 2, 1, 8, 0), estimate_minutes=90,
    fields={"Cost": ("money", "12.50")},
    checklists=(("Steps", (("Count cash", True), ("File", False))),),
    comments=(CommentRecord("Done <b>?</b>", "tom", AT),),
    recurrence=Recurrence("FREQ=MONTHLY;BYMONTHDAY=1", AT, None, 12, (AT,)), depends=("t-0",))
"""A task with a field of every kind, nested records included."""

CLIENT = ClientRecord(
    "ann@example.com", Place("contacts.vcf", 3), "Ann Lee", kind="client",
    emails=("ann@example.com",), phones=("+44 1",), company="Lee Ltd",
    birthday=date(1980, 5, 17), tags=("vip",))


def test_a_task_digests_as_the_desk_before():
    assert fingerprint(TASK) == "2:8da187fa16f5c0bd1d809d6ac531e8b7eadd2a159372475fc03130279e75ed"
    assert first_fingerprint(TASK) == (
        "5ae124ec53a01dbbe6150931886aa65ad2b77ef5fafbcb6950d59dcff3a28275")


def test_a_client_digests_as_the_desk_before():
    assert fingerprint(CLIENT) == (
        "2:80ee54639ac7ec20166ce647ba9cd7c35006b74c26af7ffdf044abfaa52821")
    assert first_fingerprint(CLIENT) == (
        "f22e82c4f212907cdaa0598e46b10efdef91271cf18f636a13b198ac12b0f6c4")


def test_the_digest_leaves_out_the_place_and_is_kept_once_asked_for():
    moved = TaskRecord(**{name: getattr(TASK, name) for name in TASK.__struct_fields__
                          if name != "place"}, place=Place("other.csv", 9))
    assert moved.digest() == TASK.digest() == fingerprint(TASK)
    moved.title = "Renamed after the digest was asked for"
    assert moved.digest() == TASK.digest()  # a record is not changed once digested
