"""Hand-off during a run: one platform's login goes to a person in a visible window, the others
carry on headless; without a person (cron) nothing ever waits."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page
from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.models import FlowStatus, RunResult
from sweeper.plan import build_targets
from sweeper.runner import SweepPlan, run_sweep
from sweeper.secrets import KeyringCredentials, StaticCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import BrowserSettings, Settings
from tests.flows.test_flow_pdd import drag_slider
from tests.helpers import FIXED_NOW

# pdd asks every login for the slider: only a person can pass it.
SCENARIO = {"clock": FIXED_NOW, "platforms": {"pdd": {"faults": ["challenge_on_login"]}}}


class WatchedStore(SessionStore):
    """Sessions as usual, plus an event per platform when its sweep saved one (i.e. finished ok)."""

    def __init__(self, state_dir: Path) -> None:
        super().__init__(state_dir)
        self.saved: dict[str, asyncio.Event] = {}

    def event(self, platform: str) -> asyncio.Event:
        return self.saved.setdefault(platform, asyncio.Event())

    def save(self, platform: str, account: str, state: dict[str, Any]) -> Path:
        path = super().save(platform, account, state)
        self.event(platform).set()
        return path


class SliderPerson:
    """Plays the operator: waits until admin finished headless, then drags pdd's slider."""

    def __init__(self, store: WatchedStore) -> None:
        self.store = store
        self.told: list[tuple[str, str]] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.admin_done_first = False

    def tell(self, who: str, page: Page, message: str) -> None:
        self.told.append((who, message))
        self.tasks.append(asyncio.ensure_future(self._act(page)))

    async def _act(self, page: Page) -> None:
        # If the hand-off blocked the other platforms, admin would never finish: the test times out.
        await self.store.event("admin").wait()
        self.admin_done_first = True
        await drag_slider(page)


def _plan(running: RunningReplicas, tmp_path: Path, store: SessionStore, person: Any) -> SweepPlan:
    settings = Settings(state_dir=tmp_path / "state", browser=BrowserSettings(login_wait_s=60))
    keys = ["pdd", "admin"]
    targets = build_targets(settings, keys, base_urls={k: running.base_url(k) for k in keys})
    return SweepPlan(
        targets=targets, now=FIXED_NOW, run_id="handoff", run_dir=tmp_path / "run", browser=settings.browser,
        sessions=store, credentials=StaticCredentials({k: (DEMO_USERNAME, DEMO_PASSWORD) for k in keys}),
        person=person,
    )


def _by_platform(run: RunResult) -> dict[str, Any]:
    return {p.platform: p for p in run.platforms}


@pytest.mark.headed
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run")
async def test_a_login_needing_a_person_opens_a_window_while_the_others_go_on(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    store = WatchedStore(tmp_path / "state")
    person = SliderPerson(store)
    with serve_replicas(Scenario.model_validate(SCENARIO), ["pdd", "admin"]) as running:
        run = await run_sweep(_plan(running, tmp_path, store, person))
    results = _by_platform(run)
    assert results["admin"].status is FlowStatus.OK
    assert results["pdd"].status is FlowStatus.OK, results["pdd"].reason
    assert results["pdd"].findings, "pdd collected after the person's login"
    assert person.admin_done_first
    assert len(person.told) == 1 and person.told[0][0].startswith("拼多多")  # one window, for pdd only
    session = tmp_path / "state" / "sessions" / "pdd" / "default.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert DEMO_PASSWORD not in session.read_text(encoding="utf-8")


async def test_without_a_person_nothing_waits_and_the_fix_is_named(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    store = WatchedStore(tmp_path / "state")
    with serve_replicas(Scenario.model_validate(SCENARIO), ["pdd", "admin"]) as running:
        # login_wait_s is 60 s: had the sweep waited for someone, pytest's timeout would catch it
        run = await run_sweep(_plan(running, tmp_path, store, person=None))
    results = _by_platform(run)
    assert results["admin"].status is FlowStatus.OK
    assert results["pdd"].status is FlowStatus.NEEDS_LOGIN
    assert results["pdd"].fix_command == "sweeper login pdd --account default"
    assert results["pdd"].duration_s < 60


def test_login_if_needed_does_not_wait_without_a_terminal(tmp_path: Path) -> None:
    KeyringCredentials().set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    with serve_replicas(Scenario.model_validate(SCENARIO), ["pdd"]) as running:
        config = tmp_path / "sweeper.toml"
        config.write_text(
            f'state_dir = "{tmp_path / "state"}"\nreport_dir = "{tmp_path / "reports"}"\n'
            f'[browser]\nlogin_wait_s = 600\n[platforms.pdd]\nbase_url = "{running.base_url("pdd")}"\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["run", "pdd", "--login-if-needed", "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "pdd/default: needs_login" in result.output
    assert "sweeper login pdd --account default" in result.output
