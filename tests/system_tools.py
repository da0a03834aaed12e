"""What the tests that make real operating-system accounts need (they run as root): the
path of an administration tool, and a Python another account can run desk with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest


def tool(name: str) -> str:
    """The path of an administration tool, or a skip saying it is missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def python_for(user: str) -> tuple[str, str]:
    """A Python of this version that `user` may run, and the PYTHONPATH that finds desk and
    its libraries: this interpreter, or the system's when this one lies where others cannot
    reach (a root-only pyenv)."""
    import desk

    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin")):
        if python and subprocess.run(["runuser", "-u", user, "--", python, "-c", "pass"],
                                     capture_output=True, check=False).returncode == 0:
            path = [str(Path(desk.__file__).parents[1]), sysconfig.get_paths()["purelib"]]
            return python, os.pathsep.join(path)
    pytest.skip(f"no {version} that another account may run (this one is {sys.executable})")
