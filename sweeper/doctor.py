"""`sweeper doctor`: one command to run when something looks wrong. It checks, in order:

    settings file       valid (an invalid one never gets here: the CLI exits 2 naming the field)
    browser found       which one `auto` / the settings pick, and that it launches headless
    CJK font            a Chinese font, or screenshots and headed logins show boxes
    selectors file      each platform's selectors/<key>.toml loads, with what its flow needs
    per platform/account:
      credential        a login in the OS keyring
      session saved     a saved session (else the next run must log in)
      session valid     the flow's own `open` with the saved session reaches the logged-in home
      selector drift    every `[probe]` selector is on its live page (the missing ones listed)
      session lifetime  whether the session likely dies before the next checklist slot
    SMTP                connect, TLS, AUTH, QUIT (no mail), or "skip" when email is off

Each check is a function returning Rows (sweeper.doctor_checks, doctor_probe, doctor_smtp); this
module runs them, records what the probes learnt about session lifetimes, and prints the table.
Exit code: 0 when no row failed (warnings allowed), else 1.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sweeper.doctor_checks import (
    Row,
    Status,
    choose_platforms,
    credential_row,
    find_cjk_font,
    font_row,
    lifetime_row,
    resolve_targets,
    session_row,
    settings_row,
)
from sweeper.doctor_probe import Key, Probe, browser_checks
from sweeper.doctor_smtp import smtp_row
from sweeper.runner import Target
from sweeper.secrets import CredentialSource, KeyringCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import Settings

__all__ = ["DoctorRequest", "Row", "Status", "choose_platforms", "exit_code", "render", "run_doctor"]


@dataclass(frozen=True)
class DoctorRequest:
    """What the CLI resolved: settings, the file they came from, the platforms, and the switches."""

    settings: Settings
    config_path: Path
    keys: Sequence[str]
    now: datetime
    account: str | None = None
    probe: bool = True
    credentials: CredentialSource | None = None  # default: the OS keyring
    selectors_dir: Path | None = None


def run_doctor(req: DoctorRequest) -> list[Row]:
    """Every check's rows, in the order the table shows them."""
    settings = req.settings
    tz = ZoneInfo(settings.timezone)
    credentials = req.credentials or KeyringCredentials()
    store = SessionStore(settings.state_dir)
    targets, selector_rows = resolve_targets(settings, req.keys, req.account, req.selectors_dir)
    saved = {(t.platform, t.account): s for t in targets if (s := store.load(t.platform, t.account))}
    browser_rows, probes = asyncio.run(
        browser_checks(settings.browser, targets, saved, req.now, probe=req.probe)
    )
    _learn(store, probes, req.now)
    rows = [settings_row(req.config_path, settings), *browser_rows, font_row(find_cjk_font()), *selector_rows]
    for target in targets:
        key = (target.platform, target.account)
        rows += _target_rows(target, store, credentials, key in saved, probes.get(key), req, tz)
    rows.append(smtp_row(settings.email, credentials))
    return rows


def _target_rows(
    target: Target, store: SessionStore, credentials: CredentialSource, present: bool,
    probe: Probe | None, req: DoctorRequest, tz: ZoneInfo,
) -> list[Row]:
    rows = [credential_row(target, credentials), session_row(target, store, present, tz)]
    if probe is not None:
        rows += [probe.session, probe.drift]
    else:
        why = "no saved session to probe" if not present else "--no-probe" if not req.probe else "no browser"
        who = f"{target.platform}/{target.account}"
        rows += [Row("session valid", who, "skip", why), Row("selector drift", who, "skip", why)]
    expired = probe is not None and probe.expired
    rows.append(lifetime_row(target, store, req.now, present=present, expired_now=expired, tz=tz))
    return rows


def _learn(store: SessionStore, probes: dict[Key, Probe], now: datetime) -> None:
    """A probe is a use of the session: remember when it worked, and when it had expired."""
    for (platform, account), probe in probes.items():
        if probe.logged_in:
            store.mark_used(platform, account, now)
        elif probe.expired:
            store.mark_expired(platform, account, now)


def exit_code(rows: Sequence[Row]) -> int:
    return 1 if any(r.status == "fail" for r in rows) else 0


_LOOK: dict[Status, tuple[str, str]] = {
    "ok": ("ok", "green"),
    "warn": ("WARN", "yellow"),
    "fail": ("FAIL", "bold red"),
    "skip": ("skip", "dim"),
}


def verdict(rows: Sequence[Row]) -> Text:
    counts = Counter(r.status for r in rows)
    warned = f", {counts['warn']} warning(s)" if counts["warn"] else ""
    if counts["fail"]:
        return Text(
            f"verdict: NOT READY: {counts['fail']} check(s) failed{warned}. "
            "Do each FAIL line's fix, then run `sweeper doctor` again.",
            style="bold red",
        )
    return Text(f"verdict: READY: every check passed{warned}.", style="bold green")


def render(rows: Sequence[Row], console: Console | None = None) -> None:
    """The table, then the verdict. Off a terminal (cron, a pipe) lines are never wrapped."""
    console = console or Console(width=None if sys.stdout.isatty() else 1000)
    table = Table(title="sweeper doctor", title_justify="left", header_style="bold")
    for name in ("check", "subject", "result", "detail", "fix"):
        table.add_column(name, overflow="fold")
    for row in rows:
        label, style = _LOOK[row.status]
        table.add_row(Text(row.check), Text(row.subject), Text(label, style=style), Text(row.detail),
                      Text(row.fix))
    console.print(table)
    console.print(verdict(rows))
