"""A SQLite workspace shared by the operating-system accounts of one group (`desk init
--shared GROUP`).

Every agent's desk opens the same file, so each must be able to write the database, its -wal
and -shm files and desk's lock files, and to create them when they are missing. The folder
belongs to the group, with the setgid bit (what is created in it gets the group) and group
read, write and search (2770; others nothing); the files are group read-write (0660). SQLite
gives a new -wal or -shm file the database file's mode, and desk gives its lock files the same
(desk.dialect.open_lock_file), so no one's umask can lock the others out later.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from desk.dialect import LOCK_NAMES, lock_path, open_lock_file
from desk.errors import DeskError

FOLDER_MODE = 0o2770
"""The shared folder: setgid, group read, write and search, nothing for others."""
FILE_MODE = 0o660
"""The database and its companions: owner and group read and write."""
COMPANIONS = ("-wal", "-shm")
"""The files SQLite keeps beside a database in WAL mode."""


def group_id(group: str) -> int:
    """The id of the operating-system group named `group` (DeskError if there is none)."""
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise DeskError(f"there is no group named {group!r} on this machine") from None


def prepare_folder(folder: Path, group: str) -> None:
    """Make `folder` the group's shared folder (2770, setgid), creating it (and its missing
    parents, with the usual modes) when needed."""
    gid = group_id(group)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DeskError(f"cannot make the folder {folder}: {error.strerror}") from None
    _give(folder, gid, group, FOLDER_MODE)


def share_files(database_file: Path, group: str) -> list[Path]:
    """Give the database file, its -wal and -shm files and every lock file desk uses to the
    group, group read-write, creating the missing lock files; returns the files shared."""
    gid = group_id(group)
    _give(database_file, gid, group, FILE_MODE)  # first: what is created next copies its mode
    locks = [lock_path(database_file, name) for name in LOCK_NAMES]
    for lock in locks:
        os.close(open_lock_file(lock, database_file))
    companions = [Path(f"{database_file}{suffix}") for suffix in COMPANIONS]
    shared = [database_file, *(path for path in companions if path.exists()), *locks]
    for path in shared[1:]:
        _give(path, gid, group, FILE_MODE)
    return shared


def _give(path: Path, gid: int, group: str, mode: int) -> None:
    """Give `path` to the group `gid` with `mode`, unless it has both already."""
    now = path.stat()
    if now.st_gid == gid and stat.S_IMODE(now.st_mode) == mode:
        return
    try:
        os.chown(path, -1, gid)
        os.chmod(path, mode)
    except PermissionError as error:
        raise DeskError(f"cannot give {path} to the group {group} with mode {mode:o}: "
                        f"{error.strerror} (its owner, if a member of {group}, or root "
                        "can)") from None
