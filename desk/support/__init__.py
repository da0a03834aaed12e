"""The support desk: query intake from mail and forms, SLA clocks on a business calendar,
urgency, triage, merging, CSAT and canned responses."""
