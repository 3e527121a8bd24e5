"""`sweeper run` when the mail server is down, and when the report cannot be written (disk full)."""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.cli import app
from sweeper.secrets import KeyringCredentials
from tests.helpers import FIXED_NOW

SMTP_USER, SMTP_PASSWORD = "robot@shop.cn", "smtp-pass-4tG"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_smtp_down_keeps_the_report_exits_1_and_names_the_resend(tmp_path: Path) -> None:
    KeyringCredentials().set("pdd", "default", DEMO_USERNAME, DEMO_PASSWORD)
    KeyringCredentials().set("smtp", SMTP_USER, SMTP_USER, SMTP_PASSWORD)
    with serve_replicas(Scenario(clock=FIXED_NOW), ["pdd"]) as running:
        config = tmp_path / "sweeper.toml"
        config.write_text(
            f'report_dir = "{tmp_path / "reports"}"\nstate_dir = "{tmp_path / "state"}"\n'
            f'[platforms.pdd]\nbase_url = "{running.base_url("pdd")}"\n'
            f'[email]\nenabled = true\nhost = "127.0.0.1"\nport = {_free_port()}\nsecurity = "plain"\n'
            f'username = "{SMTP_USER}"\nsender = "{SMTP_USER}"\nrecipients = ["ops@shop.cn"]\n'
            'timeout_s = 2\nretries = 0\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(app, ["run", "pdd", "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "pdd/default: ok" in result.output  # the sweep itself was fine
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.is_file()
    assert "mail not sent" in result.output and f"sweeper send {report.parent.name}" in result.output
    assert SMTP_PASSWORD not in result.output


def test_a_full_disk_for_the_report_is_a_clear_error(tmp_path: Path) -> None:
    """The OS refuses the write (file size limit, as on a full disk): one clear line, exit 2."""
    script = (
        "import sys\n"
        "from sweeper.output import write_run\n"
        "from sweeper.errors import ConfigError\n"
        "from tests.unit.test_report_render import sample_run\n"
        "try:\n"
        f"    write_run(__import__('pathlib').Path({str(tmp_path)!r}), sample_run())\n"
        "except ConfigError as exc:\n"
        "    print(exc); sys.exit(2)\n"
    )

    def small_files() -> None:  # in the child only: writes past 1 KiB fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           preexec_fn=small_files, cwd=Path(__file__).parents[2], check=False)
    assert child.returncode == 2, child.stderr
    assert child.stdout.startswith(f"cannot write the report to {tmp_path}: File too large")
    assert "Traceback" not in child.stdout + child.stderr
