"""The running app's own behaviour, mixed into DeskApp: its keys (`keys`), the themes it
starts with (`theme_start`), live refresh (`live_refresh`), the background work
(`background`), the acting agent's standing (`standing`), the workspace's saved settings
(`workspace_follow`), the For me count on the key bar (`for_me_count`), and the start-up
work giving way while keys are arriving (`key_quiet`)."""
