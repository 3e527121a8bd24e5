"""One folder per run: `<report_dir>/<run-id>/report.html` and `run.json`."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from sweeper.errors import ConfigError
from sweeper.history_compare import Changes
from sweeper.models import RunResult
from sweeper.report.render import render_report


def new_run_id(now: datetime) -> str:
    return f"{now.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"


def prepare_run_dir(report_dir: Path, run_id: str) -> Path:
    folder = report_dir / run_id
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except OSError as exc:
        raise ConfigError(f"cannot create the report folder {folder}: {exc.strerror}") from None
    return folder


def write_run(folder: Path, run: RunResult, *, mask: bool = True, changes: Changes | None = None) -> Path:
    """Write run.json and report.html (marked against the previous sweep when `changes` is known)."""
    try:
        (folder / "run.json").write_text(run.model_dump_json(indent=2), encoding="utf-8")
        report = folder / "report.html"
        report.write_text(render_report(run, mask=mask, changes=changes), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the report to {folder}: {exc.strerror}") from None
    return report
