"""Everything the 平安健康 replica remembers between requests: accounts, tokens, captchas, faults."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from replicas.common.faults import ListShift
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.pingan.data import ID_FIELD, STATUS_FIELD, Record, build_data

APP_ID = "jkseller-web"
# Public in the real console's bundle as well: the signature proves the page's JS ran, not who you are.
APP_SECRET = "6a1c9e0f-jk-seller-web"
TOKEN_COOKIE = "_wtk"
TOKEN_INVALID = -360
CAPTCHA_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01IOQ")
LOCK_AFTER_FAILURES = 5
CAPTCHA_AFTER_FAILURES = 3
SOON = timedelta(hours=12)


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


@dataclass
class Session:
    account: str
    expires_at: datetime


class State:
    def __init__(self, env: ReplicaEnv) -> None:
        self.env = env
        self.scenario = env.scenario
        self.data: dict[str, list[Record]] = build_data(env.rng, env.clock.start, env.scenario)
        extra = self.scenario.fault_args.get("accounts", {})
        self.accounts = {DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}}
        self.sessions: dict[str, Session] = {}
        self.captchas: dict[str, str] = {}
        self.latest_captcha: str | None = None
        self.failures: Counter[str] = Counter()
        self.logins = 0
        self.authed_calls = 0
        self.calls: Counter[str] = Counter()
        self.shift = ListShift()  # `list_shift`
        self.list_notice_sent = False  # `list_modal`

    # faults ------------------------------------------------------------------------------
    def fault(self, name: str) -> bool:
        return self.scenario.has(name)

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.scenario.arg(fault, name, default)

    def page_fault(self, fault: str, list_name: str, status: Any, page: int) -> bool:
        """Whether `fault` targets this page of this list ({list, page, status?})."""
        if not self.fault(fault):
            return False
        wanted = str(self.arg(fault, "list", "orders"))
        if not _list_matches(wanted, list_name, status):
            return False
        return int(self.arg(fault, "page", 1)) == page

    # login -------------------------------------------------------------------------------
    def captcha_required(self, login_name: str = "") -> bool:
        return (
            not self.scenario.known_device
            or self.fault("challenge_on_login")
            or self.failures[login_name] >= CAPTCHA_AFTER_FAILURES
        )

    def new_captcha(self) -> str:
        key = secrets.token_hex(8)
        self.captchas[key] = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(4))
        self.latest_captcha = key
        return key

    def check_captcha(self, key: str, answer: str) -> bool:
        """One try per image, as on the real site: a wrong answer burns the key."""
        expected = self.captchas.pop(key, None)
        return expected is not None and expected == answer.strip().upper()

    def locked(self, login_name: str) -> bool:
        if self.fault("account_locked"):
            only = self.arg("account_locked", "account")
            if only is None or only == login_name:
                return True
        return self.failures[login_name] >= LOCK_AFTER_FAILURES

    def password_ok(self, login_name: str, password_md5: str) -> bool:
        known = self.accounts.get(login_name)
        return known is not None and secrets.compare_digest(md5_hex(known), password_md5.lower())

    def open_session(self, login_name: str) -> str:
        token = secrets.token_hex(16)
        lifetime = timedelta(seconds=self.scenario.session_lifetime_s)
        self.sessions[token] = Session(login_name, self.env.clock.now() + lifetime)
        self.failures[login_name] = 0
        self.logins += 1
        return token

    def session_for(self, token: str) -> Session | None:
        """The session behind a `_wtk`, counting the call; None when invalid or expired."""
        self.authed_calls += 1
        if self.fault("session_expired") and self.authed_calls > int(
            self.arg("session_expired", "after_requests", 0)
        ):
            self.sessions.clear()
        session = self.sessions.get(token)
        if session is not None and session.expires_at <= self.env.clock.now():
            del self.sessions[token]
            return None
        return session

    def expire_all(self) -> int:
        count = len(self.sessions)
        self.sessions.clear()
        return count

    # data --------------------------------------------------------------------------------
    def records(self, list_name: str, status: Any) -> list[Record]:
        if self.fault("empty_lists"):
            return []
        field = STATUS_FIELD[list_name]
        return [r for r in self.data[list_name] if str(r.get(field)) == str(status)]

    def find(self, list_name: str, record_id: str) -> Record | None:
        field = ID_FIELD[list_name]
        return next((r for r in self.data[list_name] if str(r.get(field)) == record_id), None)

    def snapshot(self) -> dict[str, Any]:
        return {
            "logins": self.logins,
            "sessions": len(self.sessions),
            "authed_calls": self.authed_calls,
            "calls": dict(self.calls),
            "captcha_required": self.captcha_required(),
            "lists": {name: len(rows) for name, rows in self.data.items()},
            "faults": list(self.scenario.faults),
        }


def _list_matches(wanted: str, list_name: str, status: Any) -> bool:
    aliases = {"orders_accept": ("orders", "10"), "orders_ship": ("orders", "20")}
    if wanted in aliases:
        name, code = aliases[wanted]
        return list_name == name and str(status) == code
    return wanted == list_name
