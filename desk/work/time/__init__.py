"""Time against tasks: the timer and hand-logged entries (`entries`), and estimates against
what was spent, rolled up through subtasks (`estimates`)."""
