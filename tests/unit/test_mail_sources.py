"""Reading local mailboxes: a maildir is read from new/ and cur/, whatever else it lacks."""

from __future__ import annotations

import mailbox
import shutil
from pathlib import Path

import pytest

from desk.mail.sources import SourceError, maildir

CORPUS = Path(__file__).parents[1] / "data" / "mail"
NAMES = ("01-new-plain.eml", "13-reply-in-reply-to.eml", "14-reply-references.eml")


@pytest.fixture
def box(tmp_path) -> Path:
    """A maildir with three corpus messages, delivered in the order of NAMES: the first read
    (in cur/, flagged seen), the others new."""
    path = tmp_path / "Maildir"
    folder = mailbox.Maildir(path, create=True)
    keys = [folder.add((CORPUS / name).read_bytes()) for name in NAMES]
    message = folder[keys[0]]
    message.set_subdir("cur")
    message.add_flag("S")
    folder[keys[0]] = message
    (path / "delivered").write_text("\n".join(keys))  # the delivery order, for stored()
    return path


def read(path: Path) -> list[bytes]:
    """The bytes of every message the maildir reader gives, in its order."""
    return [mail.raw for mail in maildir(path)]


def stored(box: Path) -> dict[str, bytes]:
    """The messages of the whole maildir as the standard library reads them, by key, in the
    order they were delivered."""
    folder = mailbox.Maildir(box, create=False)
    return {key: folder.get_bytes(key) for key in (box / "delivered").read_text().split()}


def test_a_maildir_gives_new_and_read_messages_oldest_first_named_by_their_key(box) -> None:
    wanted = stored(box)
    mails = list(maildir(box))
    assert [(mail.source, mail.raw) for mail in mails] == [
        (f"{box}/{key}", raw) for key, raw in wanted.items()]
    assert [b"Message-ID: <new-plain" in raw for raw in wanted.values()] == [True, False, False]


@pytest.mark.parametrize(("missing", "left"), [
    ("tmp", NAMES), ("new", NAMES[:1]), ("cur", NAMES[1:])])
def test_a_maildir_without_one_of_its_folders_is_read_as_it_is(box, missing, left) -> None:
    wanted = list(stored(box).values())
    shutil.rmtree(box / missing)
    assert read(box) == [raw for raw, name in zip(wanted, NAMES, strict=True) if name in left]
    assert not (box / missing).exists()  # only read, never repaired


def test_files_that_are_no_messages_are_left_out(box) -> None:
    wanted = list(stored(box).values())
    (box / "new" / ".hidden").write_bytes(b"From: x@example.org\r\n\r\nnot mail\r\n")
    (box / "cur" / "folder").mkdir()
    assert read(box) == wanted


@pytest.mark.parametrize("make", [
    lambda path: None,  # nothing there
    lambda path: path.mkdir(),  # an empty folder
    lambda path: (path.mkdir(), (path / "tmp").mkdir()),  # only tmp/
    lambda path: path.write_bytes(b"From: x@example.org\r\n\r\nhi\r\n"),  # a file
])
def test_what_is_no_maildir_is_refused_naming_the_path(tmp_path, make) -> None:
    path = tmp_path / "Mail"
    make(path)
    with pytest.raises(SourceError) as refused:
        read(path)
    assert str(refused.value) == f"{path}: not a maildir (it needs a new or cur folder)"


def test_messages_come_in_delivery_time_order_not_name_order(tmp_path) -> None:
    # Maildir names do not pad their microseconds: M5 in a second comes before M12, and any
    # message of a second before those of the next, however their names sort as text.
    path = tmp_path / "Maildir"
    (path / "new").mkdir(parents=True)
    names = ["1796558126.M5P1Q1.host", "1796558126.M12P1Q2.host", "1796558127.M3P1Q3.host"]
    for number, name in enumerate(names):
        (path / "new" / name).write_bytes(f"Subject: {number}\r\n\r\nhi\r\n".encode())
    assert [mail.source for mail in maildir(path)] == [f"{path}/{name}" for name in names]
