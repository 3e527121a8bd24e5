"""The command line. Thin: parse, call, map the outcome to an exit code.

Exit codes: 0 every platform ok; 1 some platform not ok (or a login did not complete);
2 usage or configuration error. A sweep prints its report's path as the last line of stdout.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from datetime import datetime
from pathlib import Path
from time import monotonic
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer

from sweeper.checklist import get_slot
from sweeper.errors import ConfigError, CredentialMissing, FlowError
from sweeper.gc_policy import full_collections_held
from sweeper.log_config import configure_logging
from sweeper.models import RunResult
from sweeper.settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Sweep the shops' seller back-ends.")
replicas_app = typer.Typer(no_args_is_help=True, help="The local replica back-ends.")
credentials_app = typer.Typer(no_args_is_help=True, help="Logins in the OS keyring.")
app.add_typer(replicas_app, name="replicas")
app.add_typer(credentials_app, name="credentials")

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="settings TOML file")]
ReportDirOpt = Annotated[Path | None, typer.Option("--report-dir", help="where run folders go")]
ScenarioOpt = Annotated[Path | None, typer.Option("--scenario", help="replica scenario file (TOML/JSON)")]
AccountOpt = Annotated[str | None, typer.Option("--account", help="one account of the platform")]
NoEmailOpt = Annotated[bool, typer.Option("--no-email", help="write and record the report, do not mail it")]
SlotOpt = Annotated[
    str | None,
    typer.Option("--slot", help="checklist slot 0930, 1000 or 1700 (default: the next one by the clock)"),
]


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings(config: Path | None, **overrides: object) -> Settings:
    try:
        settings = load_settings(config, **{k: v for k, v in overrides.items() if v is not None})
    except ConfigError as exc:
        _fail(str(exc))
    configure_logging(settings.log_format)
    return settings


def _finish(run: RunResult, report: Path, delivery_problem: str | None = None) -> NoReturn:
    for p in run.platforms:
        extra = f" — {p.reason}" if p.reason else ""
        fix = f" (fix: {p.fix_command})" if p.fix_command else ""
        typer.echo(f"{p.platform}/{p.account}: {p.status.value}, {len(p.findings)} findings{extra}{fix}")
    if delivery_problem:
        typer.echo(f"error: {delivery_problem}", err=True)
    typer.echo(str(report.resolve()))
    raise typer.Exit(0 if run.all_ok and not delivery_problem else 1)


@app.command()
def run(
    platforms: Annotated[list[str] | None, typer.Argument(help="platform keys, e.g. pdd suning")] = None,
    all_: Annotated[bool, typer.Option("--all", help="every enabled platform")] = False,
    headed: Annotated[
        bool, typer.Option("--headed", help="a person is here: a login that needs one opens a window")
    ] = False,
    login_if_needed: Annotated[
        bool, typer.Option("--login-if-needed", help="like --headed, but only on an interactive terminal")
    ] = False,
    report_dir: ReportDirOpt = None,
    config: ConfigOpt = None,
    account: AccountOpt = None,
    slot: SlotOpt = None,
    no_email: NoEmailOpt = False,
    deadline: Annotated[
        str | None,
        typer.Option("--deadline", help="the report must be out by then: a time (09:25) or seconds (600)"),
    ] = None,
) -> None:
    """Sweep the platforms, write one report ordered by the slot's checklist, record and mail it."""
    from sweeper.deadline import seconds_until, sweep_budget
    from sweeper.lock import run_lock
    from sweeper.mail_deliver import deliver
    from sweeper.output import new_run_id, prepare_run_dir, write_run
    from sweeper.plan import build_targets, enabled_platforms
    from sweeper.runner import ConsolePerson, SweepPlan, run_sweep
    from sweeper.secrets import KeyringCredentials
    from sweeper.sessions import SessionStore

    settings = _settings(config, report_dir=report_dir)
    if bool(platforms) == all_:
        _fail("name platforms or give --all (not both)")
    keys = enabled_platforms(settings) if all_ else list(platforms or [])
    now = datetime.now(ZoneInfo(settings.timezone))
    try:
        slot_key = get_slot(slot, now).key
        stop_at = monotonic() + sweep_budget(seconds_until(deadline, now)) if deadline else None
        targets = build_targets(settings, keys, account=account)
        run_id = new_run_id(now)
        run_dir = prepare_run_dir(settings.report_dir, run_id)
    except ConfigError as exc:
        _fail(str(exc))
    plan = SweepPlan(
        targets=targets,
        now=now,
        run_id=run_id,
        run_dir=run_dir,
        browser=settings.browser,
        sessions=SessionStore(settings.state_dir),
        credentials=KeyringCredentials(),
        # cron has no terminal: it never waits for a person, it reports needs_login and goes on
        person=ConsolePerson() if headed or (login_if_needed and sys.stdin.isatty()) else None,
        slot=slot_key,
        stop_at=stop_at,
    )
    try:
        # two sweeps on the same sessions log each other out; the report comes before any full GC
        with run_lock(settings.state_dir), full_collections_held():
            result = asyncio.run(run_sweep(plan))
            report = write_run(run_dir, result, mask=settings.mask_customers)
            problem = deliver(result, run_dir, settings, no_email=no_email)
    except ConfigError as exc:
        _fail(str(exc))
    _finish(result, report, problem)


@app.command()
def demo(
    report_dir: ReportDirOpt = None, scenario: ScenarioOpt = None, slot: SlotOpt = None,
    no_email: NoEmailOpt = False,
) -> None:
    """Start the replicas on 127.0.0.1, sweep them with the real flows, write (and mail) the report."""
    import tempfile

    from replicas.common.scenario import Scenario, ScenarioError, load_scenario
    from replicas.common.server import serve_replicas
    from sweeper.demo import demo_run_dir, sweep_replicas
    from sweeper.mail_deliver import deliver
    from sweeper.output import write_run

    settings = _settings(None, report_dir=report_dir)
    try:
        chosen = load_scenario(scenario) if scenario else Scenario()
    except ScenarioError as exc:
        _fail(str(exc))
    tz = ZoneInfo(settings.timezone)
    now = chosen.clock.astimezone(tz) if chosen.clock else datetime.now(tz)
    try:
        slot_key = get_slot(slot, now).key
        run_id, run_dir = demo_run_dir(settings.report_dir, now)
    except ConfigError as exc:
        _fail(str(exc))
    with serve_replicas(chosen) as running, tempfile.TemporaryDirectory(prefix="sweeper-demo-") as state, \
            full_collections_held():  # until the report is out, as `run` does
        keys = list(running.specs)
        typer.echo(f"replicas: {', '.join(f'{k} {running.base_url(k)}' for k in keys)}", err=True)
        # Demo sessions and history stay in a throwaway folder, away from the real ones.
        demo_settings = settings.model_copy(
            update={"state_dir": Path(state), "history_path": Path(state) / "history.sqlite3"}
        )
        result = asyncio.run(
            sweep_replicas(
                running, keys, run_dir=run_dir, state_dir=Path(state), now=now,
                settings=demo_settings, run_id=run_id, slot=slot_key,
            )
        )
        report = write_run(run_dir, result, mask=settings.mask_customers)
        problem = deliver(result, run_dir, demo_settings, no_email=no_email)
    _finish(result, report, problem)


@app.command()
def login(
    platform: Annotated[str, typer.Argument(help="platform key")],
    account: AccountOpt = None,
    config: ConfigOpt = None,
    headless: Annotated[bool, typer.Option("--headless", help="no window (only if no human step)")] = False,
) -> None:
    """Open a browser window, fill the stored login, wait for you to finish it, save the session."""
    from sweeper.handoff import interactive_login
    from sweeper.lock import RunLocked, run_lock
    from sweeper.plan import build_targets
    from sweeper.secrets import KeyringCredentials
    from sweeper.sessions import SessionStore

    settings = _settings(config)
    try:
        target = build_targets(settings, [platform], account=account or "default")[0]
    except ConfigError as exc:
        _fail(str(exc))
    typer.echo(f"opening {target.base_url} for {platform}/{target.account} …", err=True)
    try:
        with run_lock(settings.state_dir, what=f"login {platform}"):  # never under a running sweep
            path = asyncio.run(
                interactive_login(
                    target,
                    credentials=KeyringCredentials(),
                    sessions=SessionStore(settings.state_dir),
                    browser_settings=settings.browser,
                    now=datetime.now(ZoneInfo(settings.timezone)),
                    tell=lambda msg: typer.echo(msg, err=True),
                    headed=not headless,
                )
            )
    except (CredentialMissing, RunLocked) as exc:
        _fail(str(exc))
    except (FlowError, ConfigError) as exc:
        _fail(f"login did not complete: {exc}", code=1)
    typer.echo(f"session saved: {path}")


@app.command()
def doctor(
    platforms: Annotated[
        list[str] | None, typer.Argument(help="platform keys (default: every enabled one)")
    ] = None,
    platforms_opt: Annotated[
        list[str] | None, typer.Option("--platforms", help="platform keys (repeat, or comma-separate)")
    ] = None,
    config: ConfigOpt = None,
    account: AccountOpt = None,
    no_probe: Annotated[
        bool, typer.Option("--no-probe", help="no browser launch, no session or selector-drift probes")
    ] = False,
) -> None:
    """Check settings, browser, font, selectors, logins, sessions and SMTP; say how to fix each."""
    from sweeper.doctor import DoctorRequest, choose_platforms, exit_code, render, run_doctor
    from sweeper.settings import default_config_path

    settings = _settings(config)
    given = [*(platforms or []), *(platforms_opt or [])]
    named = [k.strip() for arg in given for k in arg.split(",") if k.strip()]
    try:
        keys = choose_platforms(settings, named, account)
        request = DoctorRequest(
            settings=settings,
            config_path=config or default_config_path(),
            keys=keys,
            now=datetime.now(ZoneInfo(settings.timezone)),
            account=account,
            probe=not no_probe,
        )
        rows = run_doctor(request)
    except ConfigError as exc:
        _fail(str(exc))
    render(rows)
    raise typer.Exit(exit_code(rows))


@replicas_app.command("serve")
def replicas_serve(scenario: ScenarioOpt = None) -> None:
    """Run the replicas for manual exploration until Ctrl-C; prints their URLs."""
    import threading

    from replicas.common.scenario import Scenario, ScenarioError, load_scenario
    from replicas.common.server import serve_replicas
    from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME

    try:
        chosen = load_scenario(scenario) if scenario else Scenario()
    except ScenarioError as exc:
        _fail(str(exc))
    with serve_replicas(chosen) as running:
        for key, hostmap in running.hosts.items():
            for host, url in hostmap.urls.items():
                typer.echo(f"{key:12} {host:10} {url}")
        typer.echo(f"demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}   (Ctrl-C to stop)")
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            typer.echo("stopping")


@credentials_app.command("set")
def credentials_set(platform: str, account: AccountOpt = None) -> None:
    """Store a login in the OS keyring (the password is prompted, never a flag)."""
    from sweeper.secrets import KeyringCredentials

    username = typer.prompt("username")
    password = getpass.getpass("password: ")
    if not password:
        _fail("empty password; nothing stored")
    try:
        KeyringCredentials().set(platform, account or "default", username, password)
    except ConfigError as exc:
        _fail(str(exc))
    typer.echo(f"stored {platform}/{account or 'default'} in the OS keyring")


@credentials_app.command("delete")
def credentials_delete(platform: str, account: AccountOpt = None) -> None:
    """Remove a login from the OS keyring."""
    from sweeper.secrets import KeyringCredentials

    if not KeyringCredentials().delete(platform, account or "default"):
        _fail(f"no entry for {platform}/{account or 'default'}", code=1)
    typer.echo(f"deleted {platform}/{account or 'default'}")


@credentials_app.command("list")
def credentials_list() -> None:
    """Which logins exist (never their values)."""
    from sweeper.secrets import KeyringCredentials

    for entry in KeyringCredentials().entries():
        typer.echo(entry)


def _register_more_commands() -> None:
    from sweeper.cli_more import register

    register(app)  # history, report, send


_register_more_commands()

if __name__ == "__main__":
    app()
