"""E-mail: the outbox, the messages desk has taken in, and the files that came with them."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.clock import utcnow
from desk.models.base import BaseModel, one_of
from desk.models.clients import Client
from desk.models.support import Comment
from desk.models.tasks import Task
from desk.vocabulary import MAIL_OUTCOMES, OUTBOX_STATUSES


class Outbox(BaseModel):
    """An outgoing e-mail: queued by an automation or a reply, delivered by a sender that
    marks it sent or failed (with the attempts and the last error)."""

    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
    to_address = CharField(max_length=254)
    subject = CharField(max_length=500)
    body = TextField()
    message_id = CharField(max_length=500, null=True, index=True)  # given when first sent
    in_reply_to = CharField(max_length=500, null=True)
    status = CharField(max_length=8, default="queued",
                       constraints=[one_of("status", OUTBOX_STATUSES)])
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    next_attempt_at = DateTimeField(null=True)  # after a failed attempt: not before then
    sending_since = DateTimeField(null=True)  # a sender has claimed it and is sending it
    reference_ids = TextField(default="")  # the References header: message ids, spaced
    cc = TextField(default="")  # further recipients (a reply's CC): addresses, ", "-separated

    class Meta:
        indexes = ((("status", "id"), False), (("task",), False))


class MailMessage(BaseModel):
    """An e-mail desk has taken in, once: by its key (desk.mail.keys: its Message-ID with a
    digest of its content, the bare Message-ID in rows stored before, or a hash of its bytes
    when it has none), with what became of it. A message that could not be read keeps its raw
    copy (`raw_path`, under the data directory) and the reason in `error`."""

    key = CharField(max_length=500, unique=True)
    source = CharField(max_length=500, default="")
    sender = CharField(max_length=254, default="")
    subject = CharField(max_length=500, default="")
    task = ForeignKeyField(Task, null=True, backref="mail", on_delete="SET NULL")
    outcome = CharField(max_length=9, constraints=[one_of("outcome", MAIL_OUTCOMES)])
    error = TextField(default="")
    raw_path = CharField(max_length=1000, default="")
    received_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task",), False), (("outcome", "id"), False))


class Attachment(BaseModel):
    """A file that came with a query or a reply, saved under the data directory: `path` is
    relative to the attachments folder, `filename` the safe name it was saved as and
    `original_name` the name as sent."""

    task = ForeignKeyField(Task, backref="attachments", on_delete="CASCADE", index=False)
    comment = ForeignKeyField(Comment, null=True, on_delete="SET NULL")
    mail = ForeignKeyField(MailMessage, null=True, on_delete="SET NULL")
    filename = CharField(max_length=255)
    original_name = CharField(max_length=1000, default="")
    content_type = CharField(max_length=255, default="application/octet-stream")
    size = IntegerField()
    path = CharField(max_length=1000)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task", "id"), False),)
