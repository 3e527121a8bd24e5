"""One sweep at a time: two runs sharing saved sessions would log each other out.

The lock is a file in the state dir holding the owner's pid, host and start time, created with
O_EXCL so two starters cannot both win. A lock whose process is gone (a crashed run, a reboot) is
stale: it is replaced, and the replacement says so in the log.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sweeper.errors import ConfigError
from sweeper.log_config import get_logger

LOCK_NAME = "run.lock"


class RunLocked(ConfigError):
    """Another sweep holds the lock (exit 2, like any other refusal to start)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _owner(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # unreadable: half-written by a crash, treat as stale
    return data if isinstance(data, dict) else None


def _is_stale(owner: dict[str, object] | None) -> bool:
    if owner is None:
        return True
    pid, host = owner.get("pid"), owner.get("host")
    if host != socket.gethostname():
        return False  # a shared state dir on another machine: never steal its lock
    return not (isinstance(pid, int) and _alive(pid))


@contextmanager
def run_lock(state_dir: Path, what: str = "sweep") -> Iterator[Path]:
    """Hold the state dir's run lock for the duration of the block."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = state_dir / LOCK_NAME
    record = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "what": what,
                         "since": datetime.now().astimezone().isoformat()})
    for _ in range(2):  # at most: find a stale lock, remove it, take it
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            owner = _owner(path)
            if not _is_stale(owner):
                since = owner.get("since", "?") if owner else "?"
                pid = owner.get("pid", "?") if owner else "?"
                raise RunLocked(
                    f"another sweep is running (pid {pid}, since {since}); lock file {path}. "
                    "Wait for it to finish; if no sweep is running, delete that file."
                ) from None
            get_logger().warning("stale run lock cleared", lock=str(path), owner=owner)
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(record)
        break
    else:
        raise RunLocked(f"could not take the run lock {path}: another sweep took it first")
    try:
        yield path
    finally:
        if (_owner(path) or {}).get("pid") == os.getpid():
            path.unlink(missing_ok=True)
