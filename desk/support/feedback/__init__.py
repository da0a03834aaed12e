"""Feedback beyond CSAT: the NPS survey sent on a cadence (`surveys`), its answers by reply
or click (`answers`), and the one-click links of survey e-mails, NPS and CSAT (`links`)."""
