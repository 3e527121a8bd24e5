"""`sweeper demo`: start the replicas, sweep them with the real flows, write the report.

The replicas accept a public demo login, handed to the flows like a keyring entry would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from replicas.common.server import RunningReplicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.models import RunResult
from sweeper.output import new_run_id, prepare_run_dir
from sweeper.plan import build_targets
from sweeper.runner import Person, SweepPlan, run_sweep
from sweeper.secrets import StaticCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import Settings


async def sweep_replicas(
    running: RunningReplicas,
    keys: Sequence[str],
    *,
    run_dir: Path,
    state_dir: Path,
    now: datetime | None = None,
    settings: Settings | None = None,
    run_id: str | None = None,
    person: Person | None = None,
    base_urls: Mapping[str, str] | None = None,
    slot: str = "",
    stop_at: float | None = None,
) -> RunResult:
    """A whole sweep of running replicas with the production runner and flows.

    `base_urls` points some platforms elsewhere (e.g. at a port where nothing listens).
    """
    tz = ZoneInfo("Asia/Shanghai")
    now = now or datetime.now(tz)
    settings = settings or Settings(state_dir=state_dir)
    urls = {k: running.base_url(k) for k in keys if k in running.specs} | dict(base_urls or {})
    targets = build_targets(settings, keys, base_urls=urls)
    credentials = StaticCredentials(
        {k: (DEMO_USERNAME, DEMO_PASSWORD) for k in keys}
    )
    plan = SweepPlan(
        targets=targets,
        now=now,
        run_id=run_id or new_run_id(now),
        run_dir=run_dir,
        browser=settings.browser,
        sessions=SessionStore(state_dir),
        credentials=credentials,
        person=person,
        slot=slot,
        stop_at=stop_at,
    )
    return await run_sweep(plan)


def demo_run_dir(report_dir: Path, now: datetime) -> tuple[str, Path]:
    run_id = new_run_id(now)
    return run_id, prepare_run_dir(report_dir, run_id)
