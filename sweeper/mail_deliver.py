"""After a run is written: record it in the history, then mail the report. Also `sweeper send`.

Neither ever raises for a delivery problem: each returns one line saying what went wrong (the CLI
prints it and exits 1), and the report stays on disk. The SMTP password is the keyring entry of
platform "smtp", account `email.username`; it is handed to the SMTP client and to nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sweeper.errors import ConfigError, CredentialMissing
from sweeper.history import History, HistoryError, history_file
from sweeper.history_compare import Changes
from sweeper.log_config import get_logger
from sweeper.mail import compose
from sweeper.mail_send import DeliveryFailed, send
from sweeper.models import RunResult
from sweeper.output import write_run
from sweeper.secrets import CredentialSource, KeyringCredentials
from sweeper.settings import Settings

SMTP_KEY = "smtp"  # the keyring platform key of the SMTP login (as `sweeper doctor` reads it)
Sleep = Callable[[float], None]


def deliver(
    run: RunResult,
    run_dir: Path,
    settings: Settings,
    *,
    no_email: bool,
    credentials: CredentialSource | None = None,
    sleep: Sleep = time.sleep,
) -> str | None:
    """Record `run` in the history, then mail `run_dir/report.html` unless `no_email` or disabled.

    Returns None when all went well, else one line for stderr (history and/or mail problems)."""
    problems: list[str] = []
    changes: Changes | None = None
    try:
        changes = History(history_file(settings)).record(run)
        # The report on disk was written before the history knew the run: mark it now.
        write_run(run_dir, run, mask=settings.mask_customers, changes=changes)
    except HistoryError as exc:
        get_logger(run_id=run.run_id).warning("history_failed", error=str(exc))
        problems.append(f"history not updated: {exc}")
    if settings.email.enabled and not no_email:
        problem = mail_report(run, run_dir / "report.html", settings, changes,
                              credentials=credentials, sleep=sleep)
        if problem:
            problems.append(problem)
    return "; ".join(problems) or None


def resend(
    run_id: str,
    settings: Settings,
    *,
    credentials: CredentialSource | None = None,
    sleep: Sleep = time.sleep,
) -> str | None:
    """`sweeper send RUN-ID`: mail a stored run again (even when `email.enabled` is false).

    Raises ConfigError (UnknownRun, incomplete email settings, unusable history); returns like
    `deliver` otherwise."""
    missing = [n for n in ("host", "sender", "recipients") if not getattr(settings.email, n)]
    if missing:
        raise ConfigError(f"cannot send: email.{', email.'.join(missing)} not set")
    try:
        history = History(history_file(settings))
        run = history.load(run_id)
        changes = history.changes(run)
    except HistoryError as exc:
        raise ConfigError(str(exc)) from None
    report = settings.report_dir / run.run_id / "report.html"
    if not report.is_file():
        report = stored_report(run, settings, changes)
    return mail_report(run, report, settings, changes, credentials=credentials, sleep=sleep)


def stored_report(run: RunResult, settings: Settings, changes: Changes | None = None) -> Path:
    """Render a stored run again into `<report_dir>/<run-id>/` (report.html and run.json)."""
    folder = settings.report_dir / run.run_id
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the report folder {folder}: {exc.strerror}") from None
    return write_run(folder, run, mask=settings.mask_customers, changes=changes)


def _password(settings: Settings, credentials: CredentialSource) -> str:
    username = settings.email.username
    if not username:
        return ""  # no AUTH
    return credentials.get(SMTP_KEY, username).password.get_secret_value()


def mail_report(
    run: RunResult,
    report: Path,
    settings: Settings,
    changes: Changes | None,
    *,
    credentials: CredentialSource | None = None,
    sleep: Sleep = time.sleep,
) -> str | None:
    """Compose and send; None when the mail went out to every recipient, else what went wrong."""
    log = get_logger(run_id=run.run_id)
    resend_hint = f"the report is at {report}; resend with: sweeper send {run.run_id}"
    try:
        password = _password(settings, credentials or KeyringCredentials())
        message = compose(run, report, settings.email, changes, mask=settings.mask_customers)
        refused = send(message, settings.email, password, sleep=sleep)
    except CredentialMissing:
        user = settings.email.username
        problem = (f"mail not sent: no SMTP password in the OS keyring for {user}; run: "
                   f"sweeper credentials set {SMTP_KEY} --account {user}")
    except (ConfigError, DeliveryFailed) as exc:
        problem = f"mail not sent: {exc}" if isinstance(exc, ConfigError) else str(exc)
    except OSError as exc:
        problem = f"mail not sent: cannot read {report}: {exc.strerror}"
    else:
        if not refused:
            return None
        problem = f"mail not delivered to {', '.join(refused)} (refused by the server)"
    log.error("mail_not_sent", problem=problem)
    return f"{problem}; {resend_hint}"
