"""Every platform's `[probe]` holds on its replica, with data and with empty lists: doctor's
drift check must not cry wolf on a healthy site (or an operator learns to ignore it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replicas import available
from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.demo import sweep_replicas
from sweeper.models import FlowStatus
from sweeper.secrets import KeyringCredentials
from tests.helpers import FIXED_NOW

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lists", ["filled", "empty"])
def test_no_platform_reports_drift_on_its_healthy_replica(tmp_path: Path, lists: str) -> None:
    keys = list(available())
    faults = ["empty_lists"] if lists == "empty" else []
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {k: {"faults": faults} for k in keys}})
    (tmp_path / "run").mkdir()
    with serve_replicas(scenario, keys) as running:
        # Sessions as a sweep leaves them; doctor then probes with them.
        run = asyncio.run(sweep_replicas(running, keys, run_dir=tmp_path / "run",
                                         state_dir=tmp_path / "state", now=FIXED_NOW))
        assert {p.platform: p.status for p in run.platforms} == dict.fromkeys(keys, FlowStatus.OK)
        for key in keys:
            KeyringCredentials().set(key, "default", DEMO_USERNAME, DEMO_PASSWORD)
        config = tmp_path / "sweeper.toml"
        config.write_text(
            f'state_dir = "{tmp_path / "state"}"\n'
            + "".join(f'[platforms.{k}]\nbase_url = "{running.base_url(k)}"\naction_timeout_s = 5\n' for k in keys),
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["doctor", *keys, "--config", str(config)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    drift = [line for line in result.stdout.splitlines() if "selector drift" in line]
    assert len(drift) == len(keys), result.stdout
    assert all(" ok " in line and "selectors found" in line for line in drift), "\n".join(drift)
