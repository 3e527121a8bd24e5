"""Two shops on one platform: each its own keyring entry, session and context; the report names both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.secrets import KeyringCredentials
from tests.helpers import FIXED_NOW

pytestmark = pytest.mark.slow
SECOND = ("shop-b-admin", "second-shop-pass")


def _config(tmp_path: Path, base_url: str) -> Path:
    config = tmp_path / "sweeper.toml"
    config.write_text(
        f'report_dir = "{tmp_path / "reports"}"\nstate_dir = "{tmp_path / "state"}"\n'
        f'[platforms.pdd]\nbase_url = "{base_url}"\nretries = 0\n'
        '[platforms.pdd.accounts.default]\nlabel = "上元堂旗舰店"\n'
        '[platforms.pdd.accounts.shop-b]\nlabel = "上元堂二店"\n',
        encoding="utf-8",
    )
    return config


def _run_json(stdout: str) -> dict[str, object]:
    report = Path(stdout.strip().splitlines()[-1])
    return json.loads((report.parent / "run.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_each_account_is_swept_with_its_own_login_and_session(tmp_path: Path) -> None:
    keyring = KeyringCredentials()
    keyring.set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    keyring.set("pdd", "shop-b", *SECOND)
    scenario = Scenario.model_validate(
        {"clock": FIXED_NOW, "platforms": {"pdd": {"fault_args": {"accounts": dict([SECOND])}}}}
    )
    with serve_replicas(scenario, ["pdd"]) as running:
        config = _config(tmp_path, running.base_url("pdd"))
        both = CliRunner().invoke(app, ["run", "pdd", "--no-email", "--config", str(config)])
        only_b = CliRunner().invoke(app, ["run", "pdd", "--account", "shop-b", "--no-email", "--config", str(config)])
    assert both.exit_code == 0, both.output
    run = _run_json(both.stdout)
    platforms = run["platforms"]
    assert isinstance(platforms, list)
    assert [(p["account"], p["label"], p["status"]) for p in platforms] == [
        ("default", "上元堂旗舰店", "ok"), ("shop-b", "上元堂二店", "ok"),
    ]
    assert all(f["account"] == p["account"] for p in platforms for f in p["findings"])
    sessions = tmp_path / "state" / "sessions" / "pdd"
    assert sorted(p.name for p in sessions.iterdir()) == ["default.json", "shop-b.json"]
    assert (sessions / "default.json").read_text() != (sessions / "shop-b.json").read_text()
    html = (Path(both.stdout.strip().splitlines()[-1])).read_text(encoding="utf-8")
    assert "上元堂二店" in html and "shop-b" in html
    assert only_b.exit_code == 0, only_b.output
    assert [p["account"] for p in _run_json(only_b.stdout)["platforms"]] == ["shop-b"]  # type: ignore[union-attr]


def test_an_account_without_a_keyring_entry_names_the_command(tmp_path: Path) -> None:
    KeyringCredentials().set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    with serve_replicas(Scenario(clock=FIXED_NOW), ["pdd"]) as running:
        config = _config(tmp_path, running.base_url("pdd"))
        result = CliRunner().invoke(app, ["run", "pdd", "--no-email", "--config", str(config)])
    assert result.exit_code == 1
    assert "pdd/shop-b: needs_login" in result.output
    assert "sweeper credentials set pdd --account shop-b" in result.output
    assert "pdd/default: ok" in result.output
