"""What the app imports before its first frame: the palette's providers and the first start's
forms wait until they are used (issue 19: each import costs every start time and memory),
and each provider named for later is one the palette can load."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from textual.command import Provider

from desk.app import PALETTE_PROVIDERS, DeskApp

LATER = ("desk.screens.palette", "desk.screens.actions.first_start",
         "desk.screens.actions.shaping.commands", "desk.screens.actions.client.portal",
         "desk.screens.actions.client.sequences", "desk.screens.actions.task.portal_share",
         "desk.screens.dialogs.fields_form")
"""Modules the first frame does not need."""


def test_importing_the_app_leaves_the_palette_and_the_first_start_for_later(tmp_path):
    code = textwrap.dedent(f"""
        import json, sys
        import desk.app, desk.screens.screens.inbox
        print(json.dumps([name for name in {list(LATER)!r} if name in sys.modules]))
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_every_provider_named_for_later_loads_as_a_palette_provider():
    loaded = [load() for load in PALETTE_PROVIDERS]
    assert all(isinstance(provider, type) and issubclass(provider, Provider)
               for provider in loaded)
    assert len(set(loaded)) == len(loaded) == 7
    assert set(PALETTE_PROVIDERS) <= DeskApp.COMMANDS
    assert {provider.__name__ for provider in loaded} == {
        "RecordSearch", "ScreenActions", "ShapingCommands", "FormCommands", "SequenceCommands",
        "PortalCommands", "ShareCommentCommands"}
