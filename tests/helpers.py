"""Small builders shared by tests."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Page

from replicas.common.server import RunningReplicas
from sweeper.demo import sweep_replicas
from sweeper.flow import FlowContext, FlowOptions, Sink, discover_flows, lists_in_parallel
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.log_config import get_logger
from sweeper.models import FlowResult, RunResult
from sweeper.settings import PlatformSettings, Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIXED_NOW = datetime(2026, 11, 26, 9, 20, tzinfo=SHANGHAI)


def flow_context(
    page: Page, key: str, base_url: str, now: datetime = FIXED_NOW, account: str = "default"
) -> FlowContext:
    """A FlowContext like the runner builds, to call a flow's login/open/collect directly."""
    return FlowContext(
        platform=key,
        account=account,
        page=page,
        locators=load_locators(default_selectors_dir() / f"{key}.toml"),
        base_url=base_url,
        now=now,
        options=FlowOptions(lists_in_parallel=lists_in_parallel(discover_flows()[key], None)),
        sink=Sink(key, account),
        log=get_logger(platform=key, account=account),
    )


def one_tab(ctx: FlowContext) -> FlowContext:
    """`ctx` reading its lists one after another on its own page: for tests that watch that page
    or depend on which list meets a fault first."""
    return dataclasses.replace(ctx, options=dataclasses.replace(ctx.options, lists_in_parallel=1))


def flow(key: str):  # type: ignore[no-untyped-def]
    return discover_flows()[key]


async def sweep_one(
    running: RunningReplicas, key: str, tmp_path: Path, name: str = "run", *, retries: int | None = None
) -> FlowResult:
    """A whole sweep of one replica at the fixed clock; sessions persist in tmp_path/state.

    `retries` overrides the platform's retry count (None keeps the default)."""
    state = tmp_path / "state"
    platforms = {} if retries is None else {key: PlatformSettings(retries=retries)}
    result = await sweep_replicas(
        running, [key], run_dir=tmp_path / name, state_dir=state, now=FIXED_NOW,
        settings=Settings(state_dir=state, platforms=platforms),
    )
    (platform,) = result.platforms
    return platform


def as_run(platform: FlowResult) -> RunResult:
    """Wrap one platform's result in a run, e.g. to render it."""
    return RunResult(run_id="t", now=FIXED_NOW, started_at=FIXED_NOW, finished_at=FIXED_NOW, platforms=[platform])
