"""Sessions, logins, captchas and fault switches of the 药房网 replica.

ASP.NET keeps sessions in process memory with a sliding timeout: a session id the server does not
know, or one idle for longer than `session_lifetime_s`, sends the browser back to the login host.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.yaofangwang.data import Store, build_store

SESSION_COOKIE = "ASP.NET_SessionId"
USER_COOKIE = "logined_username"
_SID_ALPHABET = "abcdefghijklmnopqrstuvwxyz012345"  # what ASP.NET session ids are made of
_CAPTCHA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

FAULTS = (
    "session_expired",  # {after_requests = 0}: a session serves that many pages, then is dropped
    "challenge_on_login",  # the login form shows an image captcha
    "account_locked",  # {usernames = [...] (default: every account)}
    "empty_lists",  # every list is empty
    "page_500",  # {list, page}: IIS "500 - 内部服务器错误"
    "aspnet_error",  # {list, page}: the yellow "Server Error in '/' Application." page, HTTP 500
    "aspnet_error_200",  # {list, page}: the same yellow page with HTTP 200
    "slow",  # {ms = 1500}: every store page answers late
    "timeout_page",  # {list, page, hold_s = 120}: the page never answers (until hold_s)
    "markup_drift",  # {what = rows|pager|columns|login|page_size|home}
    "count_mismatch",  # {list, delta = 1}: the pager's "共 N 条" is stale by delta
    "list_shifts",  # {list, after_page = 1, count = 1}: records leave the list while it is paged
    "no_notice",  # no announcement popup after login
    "list_modal",  # a 系统公告 modal (with its backdrop) covers list pages until it is closed
    "column_moved",  # the first column of every list table moves to just before 操作
    "date_format",  # list times are printed day first, "26/11/2026 09:20" (common/faults.py)
)


@dataclass
class Session:
    sid: str
    username: str
    last_seen: datetime
    requests: int = 0
    notice_read: bool = False
    list_notice_read: bool = False


class Faults:
    """The scenario's fault switches, with their arguments."""

    def __init__(self, env: ReplicaEnv) -> None:
        self.scenario = env.scenario

    def on(self, name: str) -> bool:
        return self.scenario.has(name)

    def arg(self, name: str, key: str, default: Any = None) -> Any:
        return self.scenario.arg(name, key, default)

    def hits(self, name: str, kind: str, page: int) -> bool:
        """Whether a per-page fault applies to this list page (no `list` arg: every list)."""
        if not self.on(name):
            return False
        wanted = self.arg(name, "list")
        return wanted in (None, kind) and int(self.arg(name, "page", 1)) == page

    def drift(self, what: str) -> bool:
        return self.on("markup_drift") and self.arg("markup_drift", "what", "rows") == what


class SiteState:
    """Everything the two hosts share: data, sessions, login counters, captchas."""

    def __init__(self, env: ReplicaEnv) -> None:
        self.env = env
        self.faults = Faults(env)
        self.store: Store = build_store(env.scenario, env.rng, env.clock.start)
        self.sessions: dict[str, Session] = {}
        self.logins = 0
        self.login_failures = 0
        self.captchas: dict[str, str] = {}
        self.last_captcha = ""
        self.shifted: set[str] = set()

    # -- accounts and captchas -------------------------------------------------------------
    def accounts(self) -> dict[str, str]:
        extra = self.env.scenario.fault_args.get("accounts", {})
        return {DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}}

    def new_captcha(self) -> tuple[str, str]:
        key = secrets.token_hex(8)
        code = "".join(secrets.choice(_CAPTCHA_ALPHABET) for _ in range(4))
        self.captchas[key] = code
        self.last_captcha = code
        return key, code

    def check_login(self, username: str, password: str, code: str, key: str) -> str | None:
        """The error the login page shows, or None when the login is accepted."""
        if self.faults.on("challenge_on_login"):
            expected = self.captchas.pop(key, None)
            if expected is None or code.strip().upper() != expected:
                return "验证码错误，请重新输入"
        if not username or self.accounts().get(username) != password:
            return "用户名或密码错误"
        locked = self.faults.arg("account_locked", "usernames")
        if self.faults.on("account_locked") and (locked is None or username in locked):
            return "该账号已被锁定，请联系药房网客服"
        return None

    # -- sessions --------------------------------------------------------------------------
    def open_session(self, username: str) -> Session:
        sid = "".join(secrets.choice(_SID_ALPHABET) for _ in range(24))
        session = Session(sid=sid, username=username, last_seen=self.env.clock.now())
        self.sessions[sid] = session
        self.logins += 1
        return session

    def use_session(self, sid: str | None) -> Session | None:
        """The live session behind a cookie, counting this request; None sends to login."""
        session = self.sessions.get(sid or "")
        if session is None:
            return None
        now = self.env.clock.now()
        idle = (now - session.last_seen).total_seconds()
        budget = int(self.faults.arg("session_expired", "after_requests", 0))
        if idle > self.env.scenario.session_lifetime_s or (
            self.faults.on("session_expired") and session.requests >= budget
        ):
            del self.sessions[session.sid]
            return None
        session.requests += 1
        session.last_seen = now
        return session

    def expire_all(self) -> int:
        count = len(self.sessions)
        self.sessions.clear()
        return count

    def snapshot(self) -> dict[str, Any]:
        return {
            "sessions": len(self.sessions),
            "logins": self.logins,
            "login_failures": self.login_failures,
            "faults": list(self.env.scenario.faults),
            "records": {k: len(v) for k, v in self.store.records.items()},
            "clock": self.env.clock.now().isoformat(),
        }
