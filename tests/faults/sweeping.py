"""Sweeping one row of the fault matrix: its platforms' replicas served together, one sweep.

Either in-process (`sweep_row`, the production runner and flows) or through the CLI (`cli_row`,
`sweeper run --all` with a settings file pointing at the replicas and keyring entries).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.models import RunResult
from sweeper.output import new_run_id, prepare_run_dir, write_run
from sweeper.plan import build_targets
from sweeper.runner import Person, SweepPlan, run_sweep
from sweeper.secrets import KeyringCredentials, StaticCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import BrowserSettings, PlatformSettings, Settings
from tests.faults.matrix import Row
from tests.helpers import FIXED_NOW

# A saved session the sites do not know: what a session that expired overnight looks like to them.
STALE_SESSION = {"cookies": [], "origins": []}


@dataclass(frozen=True)
class Swept:
    run: RunResult
    run_dir: Path
    report: Path
    state_dir: Path
    exit_code: int | None = None  # set when swept through the CLI
    stderr: str = ""


def scenario_of(row: Row) -> Scenario:
    small = {} if row.items is None else {"items": row.items}
    return Scenario.model_validate({
        "clock": FIXED_NOW,
        "platforms": {p: {**small, **row.scenario.get(p, {})} for p in row.platforms},
    })


def platform_settings(row: Row) -> PlatformSettings:
    """No retries (a row shows one attempt), short waits where a fault hangs."""
    return PlatformSettings(retries=0, timeout_s=120, action_timeout_s=row.action_timeout_s)


def _stale_sessions(row: Row, state_dir: Path) -> None:
    if row.stale_sessions:
        store = SessionStore(state_dir)
        for key in row.platforms:
            store.save(key, "default", STALE_SESSION)


async def sweep_row(
    row: Row, tmp_path: Path, *, person: Person | None = None, running: RunningReplicas | None = None,
    trace_snapshots: bool = False,
) -> Swept:
    """One sweep of every platform of the row, at the fixed clock; the report written."""
    if running is None:
        with serve_replicas(scenario_of(row), row.platforms) as served:
            return await sweep_row(row, tmp_path, person=person, running=served, trace_snapshots=trace_snapshots)
    state_dir = tmp_path / "state"
    _stale_sessions(row, state_dir)
    settings = Settings(
        state_dir=state_dir, platforms=dict.fromkeys(row.platforms, platform_settings(row)),
        browser=BrowserSettings(trace_snapshots=trace_snapshots),
    )
    run_id = new_run_id(FIXED_NOW)
    run_dir = prepare_run_dir(tmp_path / "reports", run_id)
    password = row.password or DEMO_PASSWORD
    plan = SweepPlan(
        targets=build_targets(settings, row.platforms, base_urls={k: running.base_url(k) for k in row.platforms}),
        now=FIXED_NOW,
        run_id=run_id,
        run_dir=run_dir,
        browser=settings.browser,
        sessions=SessionStore(state_dir),
        credentials=StaticCredentials(dict.fromkeys(row.platforms, (DEMO_USERNAME, password))),
        person=person,
    )
    run = await run_sweep(plan)
    return Swept(run, run_dir, write_run(run_dir, run), state_dir)


def _config(row: Row, tmp_path: Path, running: RunningReplicas) -> Path:
    settings = platform_settings(row)
    lines = [f'report_dir = "{tmp_path / "reports"}"', f'state_dir = "{tmp_path / "state"}"']
    for key in row.platforms:
        lines += [
            f"[platforms.{key}]", f'base_url = "{running.base_url(key)}"', f"retries = {settings.retries}",
            f"timeout_s = {settings.timeout_s}", f"action_timeout_s = {settings.action_timeout_s}",
        ]
    path = tmp_path / "sweeper.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_row(row: Row, tmp_path: Path) -> Swept:
    """`sweeper run --all --no-email` against the row's replicas; keyring entries hold the logins."""
    for key in row.platforms:
        KeyringCredentials().set(key, "default", DEMO_USERNAME, row.password or DEMO_PASSWORD)
    _stale_sessions(row, tmp_path / "state")
    with serve_replicas(scenario_of(row), row.platforms) as running:
        config = _config(row, tmp_path, running)
        result = CliRunner().invoke(app, ["run", "--all", "--config", str(config), "--no-email"])
    lines = result.stdout.strip().splitlines()
    assert lines, f"no output; exit {result.exit_code}: {result.stderr or result.output}"
    report = Path(lines[-1])
    assert report.name == "report.html", result.output
    run = RunResult.model_validate(json.loads((report.parent / "run.json").read_text(encoding="utf-8")))
    return Swept(run, report.parent, report, tmp_path / "state", result.exit_code, result.stderr)
