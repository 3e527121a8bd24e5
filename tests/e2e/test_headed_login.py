"""Headed login for real: a visible Chromium window on the X display (Xvfb in CI)."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from playwright.async_api import Playwright
from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.browser import launch
from sweeper.cli import app
from sweeper.flow import HumanWait
from sweeper.secrets import KeyringCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import BrowserSettings
from tests.flows.test_flow_pdd import DEMO, drag_slider
from tests.helpers import FIXED_NOW, flow, flow_context

pytestmark = [
    pytest.mark.headed,
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display: run under xvfb-run"),
]


async def test_a_person_finishes_the_slider_in_a_headed_window_and_the_session_is_saved(
    playwright: Playwright, tmp_path: Path
) -> None:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {"pdd": {"faults": ["challenge_on_login"]}}})
    with serve_replicas(scenario, ["pdd"]) as running:
        browser = await launch(playwright, BrowserSettings(), headed=True)
        try:
            context = await browser.new_context()
            page = await context.new_page()
            ctx = flow_context(page, "pdd", running.base_url("pdd"))
            asked = asyncio.Event()

            async def person() -> None:
                await asked.wait()
                await drag_slider(page)

            human = HumanWait(timeout_s=60, tell=lambda _: asked.set())
            await asyncio.gather(flow("pdd").login(ctx, DEMO, human), person())
            path = SessionStore(tmp_path / "state").save("pdd", "default", dict(await context.storage_state()))
        finally:
            await browser.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "PASS_ID" in path.read_text(encoding="utf-8")


def test_sweeper_login_opens_a_window_fills_the_keyring_login_and_saves_the_session(tmp_path: Path) -> None:
    KeyringCredentials().set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    with serve_replicas(Scenario(clock=FIXED_NOW), ["pdd"]) as running:
        config = tmp_path / "sweeper.toml"
        config.write_text(
            f'state_dir = "{tmp_path / "state"}"\n[platforms.pdd]\nbase_url = "{running.base_url("pdd")}"\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["login", "pdd", "--config", str(config)])
    assert result.exit_code == 0, result.output
    session = tmp_path / "state" / "sessions" / "pdd" / "default.json"
    assert f"session saved: {session}" in result.output
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert DEMO_PASSWORD not in session.read_text(encoding="utf-8")
