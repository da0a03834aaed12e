"""Where desk keeps its files (platformdirs: XDG on Linux), and who may read the files it
makes for a workspace (`Sharing`)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs
from msgspec import Struct

APP_NAME = "desk"
GROUP_BITS = 0o070


def data_dir() -> Path:
    """The user data directory: the default database, the demo and backups live here."""
    return platformdirs.user_data_path(APP_NAME)


def default_database_path() -> Path:
    """The SQLite file used when no database is configured."""
    return data_dir() / "desk.db"


def demo_database_path() -> Path:
    """The SQLite file `desk demo` builds, kept apart from the real workspace."""
    return data_dir() / "demo.db"


class Sharing(Struct, frozen=True):
    """Who may read and write the files desk makes for a workspace (copies of its database,
    the files that came with mail): the permission bits of a file and its group.

    Taken from a reference with `like` (the database file), so a copy is never readable by
    more people than the original. New files and folders are created private (0600, 0700)
    and then given the group and the bits with `give`; when the group cannot be given, the
    group's bits are dropped rather than handed to another group.
    """

    file_mode: int = 0o600
    """Read and write bits of files (never execute bits); 0600 = the owner only."""
    group: int | None = None
    """The group id files and folders get; None = whatever the system gives."""

    @classmethod
    def like(cls, reference: Path) -> Sharing:
        """The sharing of an existing file or folder: its read and write bits and its group."""
        found = reference.stat()
        return cls(stat.S_IMODE(found.st_mode) & 0o666, found.st_gid)

    @property
    def folder_mode(self) -> int:
        """The bits of a folder: those of a file, plus search wherever reading is allowed,
        plus set-group-id when the group may read, so what others make inside keeps the
        group."""
        mode = self.file_mode | (self.file_mode & 0o444) >> 2
        return mode | stat.S_ISGID if self.group is not None and mode & 0o040 else mode

    def give(self, target: int | Path, *, folder: bool = False) -> None:
        """Give a file or folder desk has just made private (an open descriptor or a path)
        the group, then the mode."""
        mode = self.folder_mode if folder else self.file_mode
        if self.group is not None:
            with contextlib.suppress(OSError):  # not allowed: checked just below
                os.chown(target, -1, self.group)
            if os.stat(target).st_gid != self.group:  # not a member: keep the group out
                mode &= ~(GROUP_BITS | stat.S_ISGID)
        os.chmod(target, mode)

    def make_folders(self, folder: Path) -> Path:
        """Make `folder` and its missing parents, each given this sharing; returns it."""
        missing = []
        for candidate in (folder, *folder.parents):
            if candidate.is_dir():
                break
            missing.append(candidate)
        for candidate in reversed(missing):
            try:
                candidate.mkdir(mode=0o700)
            except FileExistsError:
                continue  # made by another desk at the same moment, with its own sharing
            self.give(candidate, folder=True)
        return folder
