"""E-mail in and out: parsing and cleaning messages, reading mailboxes, attachments, the
outbox and its delivery over SMTP."""
