"""The history commands: `sweeper history`, `sweeper report [RUN-ID] [--open]`, `sweeper send RUN-ID`.

`register(app)` adds them to the main Typer app (sweeper/cli.py). Exit codes as everywhere:
0 done, 1 the mail did not go out, 2 usage or configuration error (unknown run id, bad settings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sweeper.errors import ConfigError
from sweeper.history import History, HistoryError, RunSummary, history_file
from sweeper.log_config import configure_logging
from sweeper.models import FlowStatus
from sweeper.settings import Settings, load_settings

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="settings TOML file")]


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings(config: Path | None) -> Settings:
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        _fail(str(exc))
    configure_logging(settings.log_format)
    return settings


def _history(settings: Settings) -> History:
    try:
        return History(history_file(settings))
    except HistoryError as exc:
        _fail(str(exc))


def _statuses(summary: RunSummary) -> str:
    return " · ".join(
        name if status is FlowStatus.OK else f"{name} {status.value}" for name, status in summary.statuses
    )


def _counts(summary: RunSummary) -> str:
    parts = [f"{summary.findings} findings"]
    for n, what in ((summary.overdue, "overdue"), (summary.new, "new"), (summary.gone, "gone"),
                    (summary.not_rechecked, "not re-checked")):
        if n:
            parts.append(f"{n} {what}")
    return ", ".join(parts)


def history(
    limit: Annotated[int, typer.Option("--limit", min=1, help="how many runs, newest first")] = 20,
    config: ConfigOpt = None,
) -> None:
    """List the recorded runs, newest first: statuses and counts."""
    from rich.console import Console
    from rich.table import Table

    settings = _settings(config)
    summaries = _history(settings).runs(limit)
    if not summaries:
        typer.echo(f"no runs recorded yet ({history_file(settings)})")
        return
    table = Table("run id", "time", "slot", "platforms (all ok unless named)", "findings")
    for s in summaries:
        table.add_row(s.run_id, s.now.strftime("%Y-%m-%d %H:%M"), s.slot, _statuses(s), _counts(s))
    for column in table.columns[:3]:
        column.no_wrap = True
    Console().print(table)


def report(
    run_id: Annotated[str | None, typer.Argument(help="a run id (default: the latest run)")] = None,
    open_: Annotated[bool, typer.Option("--open", help="open the report in the web browser")] = False,
    config: ConfigOpt = None,
) -> None:
    """Render a recorded run again into its run folder; prints the report's path last."""
    from sweeper.mail_deliver import stored_report

    settings = _settings(config)
    stored = _history(settings)
    try:
        chosen = run_id or stored.latest()
        if chosen is None:
            _fail(f"no runs recorded yet ({stored.path})")
        run = stored.load(chosen)
        path = stored_report(run, settings, stored.changes(run)).resolve()
    except (ConfigError, HistoryError) as exc:
        _fail(str(exc))
    if open_:
        import webbrowser

        webbrowser.open(path.as_uri())
    typer.echo(str(path))


def send(
    run_id: Annotated[str, typer.Argument(help="the run to mail again (see `sweeper history`)")],
    config: ConfigOpt = None,
) -> None:
    """Mail a recorded run's report again (the SMTP settings as for `sweeper run`)."""
    from sweeper.mail_deliver import resend

    settings = _settings(config)
    try:
        problem = resend(run_id, settings)
    except ConfigError as exc:
        _fail(str(exc))
    if problem:
        _fail(problem, code=1)
    typer.echo(f"sent {run_id} to {', '.join(settings.email.recipients)}")


def register(app: typer.Typer) -> None:
    """Add `history`, `report` and `send` to the main app."""
    app.command("history")(history)
    app.command("report")(report)
    app.command("send")(send)
