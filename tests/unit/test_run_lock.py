"""One sweep at a time: a held lock refuses a second run (exit 2); a crashed run's lock is cleared."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sweeper.cli import app
from sweeper.lock import LOCK_NAME, RunLocked, run_lock


def test_a_held_lock_refuses_a_second_holder_and_is_released_after(tmp_path: Path) -> None:
    with run_lock(tmp_path) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()
        assert (path.stat().st_mode & 0o777) == 0o600
        with pytest.raises(RunLocked, match=f"pid {os.getpid()}"), run_lock(tmp_path):
            pass
    assert not (tmp_path / LOCK_NAME).exists()
    with run_lock(tmp_path):  # free again
        pass


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_a_stale_lock_from_a_crashed_run_is_cleared(tmp_path: Path) -> None:
    stale = {"pid": _dead_pid(), "host": socket.gethostname(), "since": "2026-11-26T09:00:00+08:00"}
    (tmp_path / LOCK_NAME).write_text(json.dumps(stale))
    with run_lock(tmp_path) as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_half_written_lock_is_stale_too(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text('{"pid": 12')
    with run_lock(tmp_path):
        pass


def test_a_lock_held_on_another_host_is_never_stolen(tmp_path: Path) -> None:
    other = {"pid": _dead_pid(), "host": "another-machine", "since": "2026-11-26T09:00:00+08:00"}
    (tmp_path / LOCK_NAME).write_text(json.dumps(other))
    with pytest.raises(RunLocked, match="another sweep is running"), run_lock(tmp_path):
        pass


def test_sweeper_run_exits_2_with_a_clear_message_while_another_holds_the_lock(tmp_path: Path) -> None:
    state = tmp_path / "state"
    config = tmp_path / "sweeper.toml"
    config.write_text(f'state_dir = "{state}"\nreport_dir = "{tmp_path / "reports"}"\n', encoding="utf-8")
    with run_lock(state):
        result = CliRunner().invoke(app, ["run", "pdd", "--no-email", "--config", str(config)])
    assert result.exit_code == 2
    assert "another sweep is running" in result.output and "Traceback" not in result.output
