"""The key that takes an e-mail once (desk.support.intake stores it, unique, per message).

A message with a Message-ID is keyed by it and a digest of what it says: its sender, Date,
subject and body ("<id@host> 0123456789abcdef"). The same message read again (a maildir read
twice, an IMAP folder fetched again, a copy in another folder) has the same key and is taken
once; a different message that reuses the Message-ID (a forged one sent first, or a mail
program that reuses ids) has a key of its own, so it can never make the real one vanish.

A message without a Message-ID is keyed by a hash of its bytes ("sha256:..."), as before.

Keys stored before the digest was added are the bare Message-ID ("<id@host>"): intake still
recognises a message taken under such a key (`legacy_key`), so that reading an old mailbox
again takes nothing twice.
"""

from __future__ import annotations

import hashlib

DIGEST_CHARS = 16
"""Hex digits of the content digest (64 bits): with a Message-ID of up to 482 characters the
key fits its 500-character column. The digest only tells apart messages that share one
Message-ID, so 64 bits leave no practical chance of two of them colliding."""
_DIGEST_LOW, _DIGEST_HIGH = "0" * DIGEST_CHARS, "f" * DIGEST_CHARS


def raw_key(raw: bytes) -> str:
    """The key of a message without a usable Message-ID: a hash of its bytes."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def message_key(message_id: str, sender: str, date: str, subject: str, body: str) -> str:
    """The key of a message with a Message-ID: the id and a digest of what the message
    says (sender address, Date header, subject and body, as parsed)."""
    content = "\x00".join((message_id, sender, date, subject, body))
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{message_id} {digest[:DIGEST_CHARS]}"


def legacy_key(message_id: str) -> str:
    """The key a message with this Message-ID was stored under before keys had a digest."""
    return message_id


def key_bounds(message_id: str) -> tuple[str, str]:
    """The smallest and largest key a message with this Message-ID can have (its digest all
    zeros, all f's): a range the unique index on keys answers, for finding the messages
    taken with a Message-ID. It may hold keys of other ids under a database's collation;
    `message_id_of` tells them apart."""
    return f"{message_id} {_DIGEST_LOW}", f"{message_id} {_DIGEST_HIGH}"


def message_id_of(key: str) -> str | None:
    """The Message-ID a key was made from (either scheme), or None for a hash of bytes."""
    if not key.startswith("<"):
        return None
    return key.split(" ", 1)[0]
