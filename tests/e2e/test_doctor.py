"""`sweeper doctor` through the CLI, against the admin replica in real headless Chromium.

Sessions are made the way an operator makes them (`sweeper login --headless` with a keyring entry);
doctor then probes them in its own browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.secrets import KeyringCredentials
from sweeper.sessions import SessionStore
from tests.helpers import FIXED_NOW

runner = CliRunner()


@contextmanager
def admin(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {"admin": platform}})
    with serve_replicas(scenario, ["admin"]) as running:
        yield running


def _config(tmp_path: Path, body: str) -> Path:
    config = tmp_path / "sweeper.toml"
    config.write_text(f'state_dir = "{tmp_path / "state"}"\n{body}', encoding="utf-8")
    return config


def _admin_config(tmp_path: Path, running: RunningReplicas) -> Path:
    # A short action timeout: an element that is gone costs doctor one timeout per page.
    return _config(tmp_path, f'[platforms.admin]\nbase_url = "{running.base_url("admin")}"\naction_timeout_s = 3\n')


def _logged_in(config: Path) -> None:
    KeyringCredentials().set("admin", "default", DEMO_USERNAME, DEMO_PASSWORD)
    done = runner.invoke(app, ["login", "admin", "--headless", "--config", str(config)])
    assert done.exit_code == 0, done.output


def _row(output: str, check: str, subject: str | None = None) -> str:
    """The table line of one check (doctor never wraps lines when stdout is not a terminal)."""
    lines = [
        line for line in output.splitlines()
        if (cells := [c.strip() for c in line.split("│")])[1:2] == [check] and subject in (None, cells[2])
    ]
    assert len(lines) == 1, output
    return lines[0]


@pytest.mark.slow
def test_doctor_passes_on_a_healthy_site_then_catches_the_session_expiring(tmp_path: Path) -> None:
    with admin() as running:
        config = _admin_config(tmp_path, running)
        _logged_in(config)
        healthy = runner.invoke(app, ["doctor", "admin", "--config", str(config)])
        assert healthy.exit_code == 0, healthy.output
        assert " ok " in _row(healthy.stdout, "session valid", "admin/default")
        assert "all 14 selectors found on 3 pages" in _row(healthy.stdout, "selector drift", "admin/default")
        assert "verdict: READY" in healthy.stdout

        httpx.post(f"{running.base_url('admin')}/__replica__/expire").raise_for_status()
        expired = runner.invoke(app, ["doctor", "--platforms", "admin", "--config", str(config)])
    assert expired.exit_code == 1, expired.output
    line = _row(expired.stdout, "session valid", "admin/default")
    assert "FAIL" in line and "sweeper login admin --account default" in line
    assert " skip " in _row(expired.stdout, "selector drift", "admin/default")
    assert "verdict: NOT READY" in expired.stdout
    # the interval from the last good use to the refusal is the platform's first observed lifetime
    store = SessionStore(tmp_path / "state")
    lifetime = store.observed_lifetime("admin")
    assert lifetime is not None and lifetime.total_seconds() < 600
    assert store.record("admin", "default").known_expired


@pytest.mark.slow
def test_doctor_lists_the_element_a_changed_page_no_longer_has(tmp_path: Path) -> None:
    # The replica renames the order table's test id: a login still works, the orders page drifted.
    with admin(faults=["markup_drift"], fault_args={"markup_drift": {"what": "order_table"}}) as running:
        config = _admin_config(tmp_path, running)
        _logged_in(config)
        result = runner.invoke(app, ["doctor", "admin", "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert " ok " in _row(result.stdout, "session valid", "admin/default")
    drift = _row(result.stdout, "selector drift", "admin/default")
    assert "FAIL" in drift
    assert "1 of 14 not found: orders: orders.table [testid='order-table']" in drift
    assert "selectors/admin.toml" in drift
    assert "Traceback" not in result.output


def test_doctor_names_the_command_for_a_missing_credential(tmp_path: Path) -> None:
    config = _config(tmp_path, "[platforms.pdd]\nretries = 0\n")
    result = runner.invoke(app, ["doctor", "pdd", "--config", str(config), "--no-probe"])
    assert result.exit_code == 1, result.output
    line = _row(result.stdout, "credential", "pdd/default")
    assert "FAIL" in line and "sweeper credentials set pdd --account default" in line
    # without a session or a probe nothing is claimed about the site
    assert "WARN" in _row(result.stdout, "session saved", "pdd/default")
    assert " skip " in _row(result.stdout, "session valid", "pdd/default")
    assert " skip " in _row(result.stdout, "browser launch")
    assert " skip " in _row(result.stdout, "SMTP", "email")
    assert str(config) in _row(result.stdout, "settings file", str(config))


def test_doctor_with_an_invalid_settings_file_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    bad = _config(tmp_path, "[email]\nenabled = true\nport = 'smtp'\n")
    result = runner.invoke(app, ["doctor", "--config", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: invalid settings") and "email.port" in line


def test_doctor_refuses_an_unknown_platform_or_account_with_exit_2(tmp_path: Path) -> None:
    config = _config(tmp_path, "")
    unknown = runner.invoke(app, ["doctor", "taobao", "--config", str(config)])
    assert unknown.exit_code == 2 and "unknown platform(s): taobao" in unknown.output
    no_account = runner.invoke(app, ["doctor", "pdd", "--account", "flagship", "--config", str(config)])
    assert no_account.exit_code == 2 and "no account 'flagship'" in no_account.output
