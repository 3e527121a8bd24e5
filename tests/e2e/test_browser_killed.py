"""The browser process killed mid-run: every platform is retried once in one new browser."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from sweeper.demo import sweep_replicas
from sweeper.models import FlowStatus
from tests.helpers import FIXED_NOW

pytestmark = pytest.mark.slow


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _descends_from_us(pid: int) -> bool:
    while pid > 1:
        if pid == os.getpid():
            return True
        try:
            pid = _parent(pid)
        except (OSError, ValueError, IndexError):
            return False
    return False


def browser_main_processes() -> list[int]:
    """Chromium's main process(es) started by this test's Playwright (not renderers, not others')."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as raw:
                args = raw.read().split(b"\0")
        except OSError:
            continue
        main = b"--remote-debugging-pipe" in args and not any(a.startswith(b"--type=") for a in args)
        if main and _descends_from_us(int(entry)):
            found.append(int(entry))
    return found


async def test_a_killed_browser_is_replaced_once_and_every_platform_retried(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "latency_ms": 60})
    (tmp_path / "run").mkdir()
    with serve_replicas(scenario, ["pdd", "admin"]) as running:
        # Kill once both platforms are inside their lists (logged in, collecting).
        reached = [running.when_requested("pdd", "/mercury/mms/afterSales"),
                   running.when_requested("admin", "/api/order/list")]
        sweep = asyncio.ensure_future(sweep_replicas(
            running, ["pdd", "admin"], run_dir=tmp_path / "run", state_dir=tmp_path / "state", now=FIXED_NOW,
        ))
        for event in reached:
            assert await asyncio.to_thread(event.wait, 60), "the sweep never reached its lists"
        (victim,) = browser_main_processes()
        os.kill(victim, signal.SIGKILL)
        run = await sweep
    by_key = {p.platform: p for p in run.platforms}
    assert by_key["pdd"].status is FlowStatus.OK, by_key["pdd"].reason
    assert by_key["admin"].status is FlowStatus.OK, by_key["admin"].reason
    assert by_key["pdd"].findings and by_key["admin"].findings
    captured = capfd.readouterr()
    logged = captured.out + captured.err
    assert logged.count("browser process died; retrying in a new browser") == 2  # one per platform
    assert browser_main_processes() == []  # the replacement was closed at the end, the victim is gone
