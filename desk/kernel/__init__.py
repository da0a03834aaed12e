"""The shared kernel every domain package leans on: agents and their rights, who may see a
confidential client (desk.kernel.confidential), the audit trail, optimistic versions, change
notices, tags, the full-text index, input checks, and service calls on a worker thread's own
connection."""
