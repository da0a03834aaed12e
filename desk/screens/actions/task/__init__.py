"""What the task screen does beyond showing the task: its field editors (`edits`), its files
(`attachments`), `y` copying its number and link (`copy`), and sharing a comment with the
portal (`portal_share`)."""
