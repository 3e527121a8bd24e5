"""All platforms in one browser: one down, one expired, one slow; the healthy ones still report."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from sweeper.demo import sweep_replicas
from sweeper.models import FlowStatus
from sweeper.output import write_run
from sweeper.settings import PlatformSettings, Settings
from tests.helpers import FIXED_NOW

ALL = ["admin", "pdd", "pingan", "suning", "yaofangwang"]


def _dead_url() -> str:
    """A port that was just free: nothing listens there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.slow
async def test_one_down_one_expired_one_slow_and_the_rest_still_reported(tmp_path: Path) -> None:
    scenario = Scenario.model_validate({
        "clock": FIXED_NOW,
        "platforms": {
            "pingan": {"faults": ["session_expired", "challenge_on_login"]},
            "suning": {"latency_ms": 150},
        },
    })
    settings = Settings(
        state_dir=tmp_path / "state",
        platforms={k: PlatformSettings(retries=0, timeout_s=120) for k in ALL},
    )
    with serve_replicas(scenario, [k for k in ALL if k != "yaofangwang"]) as running:
        run = await sweep_replicas(
            running, ALL, run_dir=tmp_path / "run", state_dir=tmp_path / "state", now=FIXED_NOW,
            settings=settings, base_urls={"yaofangwang": _dead_url()},
        )
    by_key = {p.platform: p for p in run.platforms}
    assert by_key["yaofangwang"].status is FlowStatus.FAILED
    assert by_key["yaofangwang"].reason and by_key["yaofangwang"].findings == []
    assert by_key["pingan"].status is FlowStatus.NEEDS_LOGIN
    assert by_key["pingan"].fix_command == "sweeper login pingan --account default"
    for healthy in ("admin", "pdd", "suning"):
        assert by_key[healthy].status is FlowStatus.OK, (healthy, by_key[healthy].reason)
        assert by_key[healthy].findings, healthy
    html = write_run(tmp_path / "run", run).read_text(encoding="utf-8")
    for healthy in ("admin", "pdd", "suning"):
        for finding in by_key[healthy].findings:
            assert finding.order_no in html
    assert "需要登录" in html and "失败" in html
