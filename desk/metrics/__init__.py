"""The dashboard's figures and desk report: support, SLA, relationships, workload and
attention, each with the query that lists what it counts."""
