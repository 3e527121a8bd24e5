"""The checks of `sweeper doctor` that need no browser: each returns a Row saying what to fix.

A Row is `(check, subject, status, detail, fix)`; status is ok, warn (works, but watch it), fail
(something will not work) or skip (not applicable here). Nothing here prints, and no row ever holds
a password: only keyring entry names and usernames.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from sweeper.checklist import next_slot
from sweeper.errors import ConfigError, CredentialMissing
from sweeper.flow import discover_flows
from sweeper.locators import default_selectors_dir
from sweeper.plan import build_targets
from sweeper.runner import Target
from sweeper.secrets import CredentialSource
from sweeper.sessions import SessionStore
from sweeper.settings import Settings

Status = Literal["ok", "warn", "fail", "skip"]


class Row(NamedTuple):
    check: str
    subject: str
    status: Status
    detail: str
    fix: str = ""


def login_fix(target: Target) -> str:
    return f"sweeper login {target.platform} --account {target.account}"


def credentials_fix(platform: str, account: str) -> str:
    return f"sweeper credentials set {platform} --account {account}"


def subject(target: Target) -> str:
    return f"{target.platform}/{target.account}"


# -- settings and platforms -----------------------------------------------------------------------


def settings_row(path: Path, settings: Settings) -> Row:
    """The file was already loaded and validated (an invalid one stops the CLI with exit 2)."""
    where = f"sessions in {settings.state_dir}"
    if path.is_file():
        return Row("settings file", str(path), "ok", f"valid; {where}")
    return Row("settings file", str(path), "ok", f"no file: defaults and SWEEPER_* environment; {where}")


def choose_platforms(settings: Settings, named: Sequence[str], account: str | None) -> list[str]:
    """The platforms to check; a usage error (ConfigError) for unknown names or accounts."""
    flows = discover_flows()
    unknown = [k for k in named if k not in flows]
    if unknown:
        raise ConfigError(f"unknown platform(s): {', '.join(unknown)}; known: {', '.join(flows)}")
    if named:
        keys = list(dict.fromkeys(named))
        lacking = [k for k in keys if account is not None and account not in settings.platform(k).accounts]
        if lacking:
            raise ConfigError(f"no account '{account}' in settings for: {', '.join(lacking)}")
        return keys
    keys = [k for k in flows if settings.platform(k).enabled]
    if account is not None:
        keys = [k for k in keys if account in settings.platform(k).accounts]
        if not keys:
            raise ConfigError(f"no enabled platform has an account '{account}' in settings")
    return keys


def resolve_targets(
    settings: Settings, keys: Iterable[str], account: str | None, selectors_dir: Path | None = None
) -> tuple[list[Target], list[Row]]:
    """Targets of the platforms whose selectors file is valid, and one 'selectors' row per platform."""
    folder = selectors_dir or default_selectors_dir()
    targets: list[Target] = []
    rows: list[Row] = []
    for key in keys:
        path = folder / f"{key}.toml"
        try:
            found = build_targets(settings, [key], account=account, selectors_dir=folder)
        except ConfigError as exc:
            rows.append(Row("selectors file", key, "fail", str(exc), f"correct {path}"))
            continue
        targets += found
        locators = found[0].locators
        count = sum(len(names) for names in locators.selectors.values())
        probe = f"probe of {len(locators.probe)} pages" if locators.probe is not None else "no [probe]"
        rows.append(Row("selectors file", key, "ok", f"{path.name}: valid, {count} selectors, {probe}"))
    return targets, rows


# -- fonts ----------------------------------------------------------------------------------------

FONT_FIX = (
    "install a CJK font: apt-get install fonts-wqy-zenhei (Debian/Ubuntu), "
    "dnf install wqy-zenhei-fonts (Fedora); Windows and macOS ship one"
)
# File-name fragments of common CJK fonts, for systems without fontconfig (Windows, macOS).
CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehan", "msyh", "simsun", "simhei", "pingfang",
             "hiragino", "droidsansfallback", "uming", "ukai")


def font_dirs() -> list[Path]:
    home = Path.home()
    windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts",
            home / ".fonts", Path("/System/Library/Fonts"), Path("/Library/Fonts"), windir / "Fonts"]


def fc_list_zh() -> str | None:
    """`fc-list :lang=zh family` output, or None where fontconfig is missing."""
    try:
        done = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def find_cjk_font(
    fc_list: Callable[[], str | None] = fc_list_zh, dirs: Iterable[Path] | None = None
) -> str | None:
    """The name of one installed CJK font (a fontconfig family or a font file), or None."""
    listed = fc_list()
    if listed is not None:
        families = [line.split(",")[0].strip() for line in listed.splitlines() if line.strip()]
        if families:
            return sorted(families)[0]
    for folder in dirs if dirs is not None else font_dirs():
        if not folder.is_dir():
            continue
        for file in folder.rglob("*"):
            name = file.name.lower().replace(" ", "").replace("-", "")
            if file.suffix.lower() in (".ttf", ".ttc", ".otf") and any(f in name for f in CJK_FILES):
                return file.name
    return None


def font_row(found: str | None) -> Row:
    if found is None:
        detail = "no CJK font: screenshots and headed logins show boxes instead of Chinese"
        return Row("CJK font", sys.platform, "fail", detail, FONT_FIX)
    return Row("CJK font", sys.platform, "ok", found)


# -- logins and sessions --------------------------------------------------------------------------


def credential_row(target: Target, source: CredentialSource) -> Row:
    fix = credentials_fix(target.platform, target.account)
    try:
        creds = source.get(target.platform, target.account)
    except CredentialMissing:
        return Row("credential", subject(target), "fail", "no login in the OS keyring", fix)
    except ConfigError as exc:
        return Row("credential", subject(target), "fail", str(exc), "unlock or configure the OS keyring")
    except (ValueError, KeyError):
        return Row("credential", subject(target), "fail", "the keyring entry is damaged", fix)
    return Row("credential", subject(target), "ok", f"keyring entry for user {creds.username}")


def session_row(target: Target, store: SessionStore, present: bool, tz: ZoneInfo) -> Row:
    if present:
        saved = store.record(target.platform, target.account).saved_at
        when = f"saved {_local(saved, tz)}" if saved else "saved (time unknown)"
        return Row("session saved", subject(target), "ok", when)
    if store.path(target.platform, target.account).exists():
        detail = "the session file is damaged"
        return Row("session saved", subject(target), "fail", detail, login_fix(target))
    if target.settings.auto_login:
        detail = "none yet: the next run logs in with the stored password (a captcha or SMS needs you)"
        return Row("session saved", subject(target), "warn", detail, login_fix(target))
    detail = "none, and auto_login is off: every run will need a login"
    return Row("session saved", subject(target), "fail", detail, login_fix(target))


def lifetime_row(
    target: Target, store: SessionStore, now: datetime, *, present: bool, expired_now: bool, tz: ZoneInfo
) -> Row:
    """Whether the session will likely live until the next slot, by the platform's observed lifetime."""
    check, who = "session lifetime", subject(target)
    lifetime = store.observed_lifetime(target.platform)
    learnt = f"observed lifetime ≈ {_hours(lifetime)}" if lifetime else "lifetime not observed yet"
    if not present:
        return Row(check, who, "skip", f"no saved session; {learnt}")
    if expired_now:
        return Row(check, who, "skip", f"already expired (see 'session valid'); {learnt}")
    slot, at = next_slot(now)
    expiry = store.expected_expiry(target.platform, target.account)
    if expiry is None or lifetime is None:
        return Row(check, who, "ok", f"{learnt} (it is learnt when a session is found expired)")
    used = store.last_used(target.platform, target.account)
    basis = f"last used {_local(used, tz)}, {learnt}"
    if expiry <= at:
        detail = f"likely expires ~{_local(expiry, tz)}, before the {slot} slot ({basis})"
        return Row(check, who, "warn", detail, f"{login_fix(target)} before {_local(at, tz)}")
    return Row(check, who, "ok", f"good until ~{_local(expiry, tz)}, after the {slot} slot ({basis})")


def _local(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%m-%d %H:%M") if moment else "?"


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:.1f} h" if hours >= 1 else f"{span.total_seconds() / 60:.0f} min"
