"""The CLI contract: exit codes, the run folder, the last line of stdout, config errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replicas import available
from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.secrets import KeyringCredentials
from tests.helpers import FIXED_NOW

runner = CliRunner()


def _config(tmp_path: Path, running: RunningReplicas) -> Path:
    config = tmp_path / "sweeper.toml"
    config.write_text(
        f'report_dir = "{tmp_path / "reports"}"\n'
        f'state_dir = "{tmp_path / "state"}"\n'
        f'[platforms.pdd]\nbase_url = "{running.base_url("pdd")}"\nretries = 0\n',
        encoding="utf-8",
    )
    return config


@pytest.fixture
def pdd_replica() -> Iterator[RunningReplicas]:
    with serve_replicas(Scenario(clock=FIXED_NOW), ["pdd"]) as running:
        yield running


def test_run_without_platforms_is_a_usage_error() -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert "name platforms or give --all" in result.output


def test_invalid_settings_file_exits_2_with_a_clear_message_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[platforms.pdd]\ntimeout_s = 'soon'\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "pdd", "--config", str(bad)])
    assert result.exit_code == 2
    assert "platforms.pdd.timeout_s" in result.output
    assert "Traceback" not in result.output


def test_unknown_platform_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "taobao"])
    assert result.exit_code == 2
    assert "unknown platform" in result.output


@pytest.mark.slow
def test_run_writes_one_folder_and_prints_the_report_path_last(
    tmp_path: Path, pdd_replica: RunningReplicas
) -> None:
    KeyringCredentials().set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    config = _config(tmp_path, pdd_replica)
    result = runner.invoke(app, ["run", "pdd", "--config", str(config)])
    last = result.stdout.strip().splitlines()[-1]
    report = Path(last)
    assert report.name == "report.html" and report.is_file(), result.output
    run = json.loads((report.parent / "run.json").read_text(encoding="utf-8"))
    assert [p["status"] for p in run["platforms"]] == ["ok"], run["platforms"][0]["reason"]
    assert result.exit_code == 0
    assert run["platforms"][0]["findings"], "the replica always has overdue and near-deadline cases"
    assert list((tmp_path / "reports").iterdir()) == [report.parent]
    # the session was saved outside the repository, private
    session = tmp_path / "state" / "sessions" / "pdd" / "default.json"
    assert session.is_file() and (session.stat().st_mode & 0o777) == 0o600


@pytest.mark.slow
def test_missing_credential_is_needs_login_naming_the_command(
    tmp_path: Path, pdd_replica: RunningReplicas
) -> None:
    result = runner.invoke(app, ["run", "pdd", "--config", str(_config(tmp_path, pdd_replica))])
    assert result.exit_code == 1
    run = json.loads((Path(result.stdout.strip().splitlines()[-1]).parent / "run.json").read_text())
    platform = run["platforms"][0]
    assert platform["status"] == "needs_login"
    assert platform["fix_command"] == "sweeper credentials set pdd --account default"
    assert platform["findings"] == []


@pytest.mark.slow
def test_demo_sweeps_the_replicas_and_exits_0(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.json"
    only_pdd = {k: {"enabled": False} for k in available() if k != "pdd"}
    scenario.write_text(json.dumps({"clock": FIXED_NOW.isoformat(), "platforms": only_pdd}))
    result = runner.invoke(app, ["demo", "--report-dir", str(tmp_path / "out"), "--scenario", str(scenario)])
    report = Path(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert "拼多多" in html and "发货超时" in html
    assert datetime.fromisoformat(json.loads((report.parent / "run.json").read_text())["now"]) == FIXED_NOW
