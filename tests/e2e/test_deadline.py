"""`--deadline`: at the deadline unfinished platforms stop with what they read; the report goes out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from time import monotonic

import pytest

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from sweeper.deadline import seconds_until, sweep_budget
from sweeper.demo import sweep_replicas
from sweeper.errors import ConfigError
from sweeper.models import FlowStatus
from sweeper.output import write_run
from tests.helpers import FIXED_NOW, SHANGHAI

AT_0920 = datetime(2026, 11, 26, 9, 20, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("text", "seconds"), [("09:25", 300.0), ("9:21", 60.0), ("600", 600.0), ("90s", 90.0)])
def test_a_deadline_is_a_time_of_day_or_seconds(text: str, seconds: float) -> None:
    assert seconds_until(text, AT_0920) == seconds


@pytest.mark.parametrize(("text", "message"), [
    ("09:10", "already passed"), ("25:00", "not a time of day"), ("soon", "give a time"), ("0", "future"),
])
def test_a_bad_deadline_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        seconds_until(text, AT_0920)


def test_the_sweep_stops_early_enough_to_write_and_send() -> None:
    assert sweep_budget(300) == 285  # 15 s kept for evidence, report and mail
    assert sweep_budget(20) == 18  # a short deadline keeps a tenth
    assert sweep_budget(300) < 300


@pytest.mark.slow
async def test_at_the_deadline_a_hanging_platform_stops_and_keeps_what_it_read(tmp_path: Path) -> None:
    # pdd's second after-sales page hangs for a minute; admin is healthy.
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {"pdd": {
        "items": 120, "faults": ["timeout_page"],
        "fault_args": {"timeout_page": {"list": "aftersales", "page": 2, "hold_s": 60}},
    }}})
    (tmp_path / "run").mkdir()
    with serve_replicas(scenario, ["pdd", "admin"]) as running:
        started = monotonic()
        run = await sweep_replicas(running, ["pdd", "admin"], run_dir=tmp_path / "run",
                                   state_dir=tmp_path / "state", now=FIXED_NOW, stop_at=started + 12)
        elapsed = monotonic() - started
    by_key = {p.platform: p for p in run.platforms}
    assert by_key["admin"].status is FlowStatus.OK
    pdd = by_key["pdd"]
    assert pdd.status is FlowStatus.PARTIAL, pdd.reason  # the orders list was read before the hang
    assert "stopped at the run's deadline" in pdd.reason
    assert pdd.findings and any(t.complete for t in pdd.lists)
    assert pdd.evidence, "what the page showed when stopped is kept"
    assert elapsed < 12 + 10, elapsed  # stopped at the deadline (plus evidence), not after the 60 s hang
    html = write_run(tmp_path / "run", run).read_text(encoding="utf-8")
    assert "stopped at the run&#39;s deadline" in html or "stopped at the run's deadline" in html


def test_sweeper_run_refuses_a_malformed_deadline_with_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sweeper.cli import app

    config = tmp_path / "sweeper.toml"
    config.write_text(f'state_dir = "{tmp_path / "state"}"\nreport_dir = "{tmp_path / "r"}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "pdd", "--deadline", "soon", "--config", str(config)])
    assert result.exit_code == 2 and "give a time (09:25) or seconds (600)" in result.output
