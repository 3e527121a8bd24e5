"""Saved browser sessions (Playwright storage state), one per (platform, account), and their lifetimes.

They are credentials: files are mode 0600 in a 0700 folder under the user's state dir, never in the
repository (settings refuse such a state_dir).

Beside the sessions, `sessions/meta.json` (also 0600) keeps, per (platform, account), when its
session was last saved, last used successfully and last found expired, and per platform the
observed lifetimes: each time a session is found expired, the interval from its last successful use
to that moment. A session that was fine at `last_used` and dead at `expired_at` lived at most that
long without use, so the shortest of the recent observations is a safe estimate. `doctor` and the
report use it to warn before a session dies in the middle of a slot (`likely_expires_before`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

KEEP_OBSERVATIONS = 10  # a platform that changes its lifetime is forgotten after this many


@dataclass(frozen=True)
class SessionRecord:
    """What is known about one (platform, account)'s session. Times are aware (UTC)."""

    saved_at: datetime | None = None
    last_used: datetime | None = None
    expired_at: datetime | None = None

    @property
    def known_expired(self) -> bool:
        """Found expired after its last successful use (and not saved again since)."""
        return self.expired_at is not None and (self.last_used is None or self.expired_at > self.last_used)


class SessionStore:
    def __init__(self, state_dir: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.root = state_dir / "sessions"
        self._clock = clock or (lambda: datetime.now(UTC))

    def path(self, platform: str, account: str) -> Path:
        return self.root / platform / f"{account}.json"

    def load(self, platform: str, account: str) -> dict[str, Any] | None:
        path = self.path(platform, account)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, json.JSONDecodeError):
            return None  # a damaged session is as good as none: the run asks for a login
        return data

    def save(self, platform: str, account: str, state: dict[str, Any]) -> Path:
        """Keep a session that just worked (after a login or a successful sweep)."""
        path = self.path(platform, account)
        _private_dir(path.parent)
        _write_private(path, json.dumps(state))
        now = self._clock().isoformat()
        self._update(platform, account, saved_at=now, last_used=now)
        return path

    def forget(self, platform: str, account: str) -> None:
        self.path(platform, account).unlink(missing_ok=True)

    # -- lifetime tracking ------------------------------------------------------------------

    def mark_used(self, platform: str, account: str, at: datetime | None = None) -> None:
        """The saved session was accepted by the site (without being saved again)."""
        self._update(platform, account, last_used=(at or self._clock()).isoformat())

    def mark_expired(self, platform: str, account: str, at: datetime | None = None) -> timedelta | None:
        """The site refused the saved session; returns the lifetime this observation adds, if any."""
        moment = at or self._clock()
        before = self.record(platform, account)
        meta = self._meta()
        observed: timedelta | None = None
        if before.last_used is not None and not before.known_expired and moment > before.last_used:
            observed = moment - before.last_used
            seen = meta["lifetimes"].setdefault(platform, [])
            seen.append(round(observed.total_seconds()))
            del seen[:-KEEP_OBSERVATIONS]
        meta["sessions"].setdefault(_key(platform, account), {})["expired_at"] = moment.isoformat()
        self._write_meta(meta)
        return observed

    def record(self, platform: str, account: str) -> SessionRecord:
        entry = self._meta()["sessions"].get(_key(platform, account), {})
        return SessionRecord(
            saved_at=_stamp(entry.get("saved_at")),
            last_used=_stamp(entry.get("last_used")),
            expired_at=_stamp(entry.get("expired_at")),
        )

    def last_used(self, platform: str, account: str) -> datetime | None:
        return self.record(platform, account).last_used

    def observed_lifetime(self, platform: str) -> timedelta | None:
        """The shortest recently observed lifetime of the platform's sessions; None until one expired."""
        seen = self._meta()["lifetimes"].get(platform) or []
        return timedelta(seconds=min(seen)) if seen else None

    def expected_expiry(self, platform: str, account: str) -> datetime | None:
        """When the session will likely be refused if left unused; None when that cannot be said."""
        record = self.record(platform, account)
        if record.known_expired:
            return record.expired_at
        lifetime = self.observed_lifetime(platform)
        if record.last_used is None or lifetime is None:
            return None
        return record.last_used + lifetime

    def likely_expires_before(self, platform: str, account: str, moment: datetime) -> bool | None:
        """Whether the session will likely be dead by `moment` (aware); None: no basis to say."""
        expiry = self.expected_expiry(platform, account)
        return None if expiry is None else expiry <= moment

    # -- meta.json --------------------------------------------------------------------------

    def _meta_path(self) -> Path:
        return self.root / "meta.json"

    def _meta(self) -> dict[str, Any]:
        try:
            data = json.loads(self._meta_path().read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        if "sessions" not in data:  # the first format: {"pdd/default": "<last used>"}
            data = {"sessions": {k: {"saved_at": v, "last_used": v} for k, v in data.items()
                                 if isinstance(v, str)}}
        data.setdefault("lifetimes", {})
        return data

    def _update(self, platform: str, account: str, **stamps: str) -> None:
        meta = self._meta()
        meta["sessions"].setdefault(_key(platform, account), {}).update(stamps)
        self._write_meta(meta)

    def _write_meta(self, meta: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.root, 0o700)
        _write_private(self._meta_path(), json.dumps(meta, indent=1, sort_keys=True))


def _key(platform: str, account: str) -> str:
    return f"{platform}/{account}"


def _stamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _write_private(path: Path, text: str) -> None:
    """Write atomically, readable by the owner only (0600)."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for part in (path, path.parent):
        os.chmod(part, 0o700)
