"""Saved browser sessions (Playwright storage state), one per (platform, account).

They are credentials: files are mode 0600 in a 0700 folder under the user's state dir, never in the
repository (settings refuse such a state_dir). Each save also records when the session was last
used successfully, for `doctor` and the report's expiry warnings.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class SessionStore:
    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir / "sessions"

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
        path = self.path(platform, account)
        _private_dir(path.parent)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        self._touch_meta(platform, account)
        return path

    def forget(self, platform: str, account: str) -> None:
        self.path(platform, account).unlink(missing_ok=True)

    def last_used(self, platform: str, account: str) -> datetime | None:
        meta = self._meta()
        stamp = meta.get(f"{platform}/{account}")
        return datetime.fromisoformat(stamp) if stamp else None

    def _meta_path(self) -> Path:
        return self.root / "meta.json"

    def _meta(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._meta_path().read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {}
        return data

    def _touch_meta(self, platform: str, account: str) -> None:
        meta = self._meta()
        meta[f"{platform}/{account}"] = datetime.now(UTC).isoformat()
        self._meta_path().write_text(json.dumps(meta), encoding="utf-8")


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for part in (path, path.parent):
        os.chmod(part, 0o700)
