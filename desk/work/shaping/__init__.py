"""Shaping the workspace, as an admin does: spaces and lists archived, restored, reordered
and moved (`arranging`), a list's statuses (`statuses`) and its custom fields (`fields`).
Making spaces and lists is desk.work.workspace's."""
