"""Starting the app: Textual's environment as desk sets it before Textual is first imported."""

from __future__ import annotations

import os
import subprocess
import sys

from desk.cli.tui import FRAMES_PER_SECOND

READ_BY_TEXTUAL = """
import sys, types
import desk.cli.tui as tui
assert "textual" not in sys.modules
class App:
    return_code = 0
    def run(self):
        import textual.constants
        print(textual.constants.MAX_FPS, "TEXTUAL_LOG" in __import__("os").environ)
module = types.ModuleType("desk.app")
module.make_app = lambda *args, **options: App()
sys.modules["desk.app"] = module  # the app itself is not what this test is about
tui.run_tui(types.SimpleNamespace(settings=None, db=None, agent=None, context=None))
"""


def textual_reads(**variables: str) -> str:
    """What Textual, first imported by the app's start, reads: its frame rate and whether a
    debugging variable got through."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("TEXTUAL")}
    result = subprocess.run([sys.executable, "-c", READ_BY_TEXTUAL], capture_output=True,
                            text=True, env={**environment, **variables}, check=True)
    return result.stdout.strip()


def test_the_app_paints_up_to_240_frames_a_second_and_drops_textuals_debugging():
    assert textual_reads(TEXTUAL_LOG="/tmp/spy.log") == f"{FRAMES_PER_SECOND} False"


def test_a_frame_rate_the_user_set_is_kept():
    assert textual_reads(TEXTUAL_FPS="30") == "30 False"
