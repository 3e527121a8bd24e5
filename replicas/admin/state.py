"""Sessions, accounts, captcha and fault switches of the admin replica.

Like a PHP admin, every visitor gets a `PHPSESSID` cookie on the first request; logging in marks
that session as a user's and regenerates its id. The server forgets a session after
`session_lifetime_s` of inactivity, on `/__replica__/expire`, or (fault `session_expired`) after
`after_requests` authenticated requests.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from replicas.common.cookie_sessions import CookieSessionSite
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv

COOKIE = "PHPSESSID"
OK, NEED_CAPTCHA, BAD_PASSWORD, LOCKED, LOGIN_TIMEOUT, BAD_REQUEST = 10, 20, 30, 40, 401, 400
CAPTCHA_CHARS = "ABCDEFGHJKMNPQRSTUVWXY3456789"

FAULTS = (
    "session_expired",  # {after_requests = 0}: each session dies after that many authenticated requests
    "challenge_on_login",  # the login form shows an image captcha that a person must read
    "account_locked",  # {accounts = [..]} (default: every account) login answers state 40
    "empty_lists",  # no orders at all (records from `add.orders` still appear)
    "page_500",  # {list = "orders", page = 1, times = 0}: HTTP 500 for that page (0 = every time)
    "slow",  # {ms = 1500}: every response is that much slower
    "timeout_page",  # {list = "orders", page = 1, ms = 90000}: that page hangs, then 504
    "markup_drift",  # {what = "order_table"}: one hook the selectors rely on is renamed
    "count_mismatch",  # {list = "orders", delta = 1}: `total` disagrees with the rows served
    "php_empty_data",  # an empty result comes back as `data: []` (PHP's empty array), not an object
    "list_modal",  # the 系统公告 dialog also covers the order list the first time a session opens it
    "list_shift",  # {list = "orders"}: a new order lands on top between a list's page 1 and page 2 (once)
    "date_format",  # every time the API returns is day first, "26/11/2026 09:20" (common/faults.py)
)

# The hooks the selectors file relies on, and what `markup_drift` renames each to.
HOOKS = {
    "username": ("用户名", "账号"),
    "password": ("密码", "登录密码"),
    "submit": ("登录", "立即登录"),
    "logout": ("退出", "注销"),
    "announcement_close": ("我知道了", "关闭公告"),
    "order_table": ("order-table", "order-grid"),
    "stock_table": ("stock-table", "stock-grid"),
    "page_size": ("每页条数", "显示条数"),
    "query": ("查询", "搜索"),
    "next": ("下一页", "后页"),
}


@dataclass
class Session:
    sid: str
    last_seen: datetime
    user: str | None = None
    captcha: str = ""
    requests: int = 0
    announced: bool = False
    list_announced: bool = False


@dataclass
class SiteState(CookieSessionSite[Session]):
    cookie: ClassVar[str] = COOKIE
    env: ReplicaEnv
    sessions: dict[str, Session] = field(default_factory=dict)
    logins: int = 0
    failed_logins: int = 0
    fault_hits: dict[str, int] = field(default_factory=dict)

    @property
    def accounts(self) -> dict[str, str]:
        extra = self.env.scenario.fault_args.get("accounts", {})
        return {DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}}



    def hook(self, name: str) -> str:
        usual, drifted = HOOKS[name]
        drift = self.fault("markup_drift") and self.arg("markup_drift", "what", "order_table") == name
        return drifted if drift else usual

    # --- sessions -------------------------------------------------------------------------------

    def make_session(self, now: datetime, user: str | None) -> Session:
        return Session(sid=secrets.token_hex(13), last_seen=now, user=user)

    def new_captcha(self, session: Session) -> str:
        session.captcha = "".join(self.env.rng.choices(CAPTCHA_CHARS, k=4))
        return session.captcha

    def expire_all(self) -> int:
        count = sum(1 for s in self.sessions.values() if s.user is not None)
        self.sessions = {k: s for k, s in self.sessions.items() if s.user is None}
        return count

    # --- login ----------------------------------------------------------------------------------

    def login(self, session: Session, form: dict[str, str]) -> tuple[int, str, Session | None]:
        """(envelope state, message, the new logged-in session or None)."""
        username, password = form.get("username", "").strip(), form.get("password", "")
        if not username or not password:
            return BAD_REQUEST, "请输入用户名和密码", None
        if self.fault("challenge_on_login"):
            typed, wanted = form.get("captcha", "").strip().upper(), session.captcha
            self.new_captcha(session)  # a captcha is good for one attempt, like the real thing
            if not typed:
                return NEED_CAPTCHA, "请输入验证码", None
            if typed != wanted:
                return NEED_CAPTCHA, "验证码错误", None
        if self.accounts.get(username) != password:
            self.failed_logins += 1
            return BAD_PASSWORD, "用户名或密码错误", None
        locked = self.arg("account_locked", "accounts", None)
        if self.fault("account_locked") and (locked is None or username in locked):
            return LOCKED, "账号已被锁定，请联系管理员", None
        self.sessions.pop(session.sid, None)  # session_regenerate_id(true)
        self.logins += 1
        return OK, "登录成功", self._new(user=username)

    # --- faults on lists ------------------------------------------------------------------------

    def hits(self, fault: str, list_name: str, page: int) -> bool:
        """Whether a per-page fault fires for this request (and count it)."""
        if not self.fault(fault):
            return False
        if self.arg(fault, "list", "orders") != list_name or int(self.arg(fault, "page", 1)) != page:
            return False
        times = int(self.arg(fault, "times", 0))
        self.fault_hits[fault] = self.fault_hits.get(fault, 0) + 1
        return times == 0 or self.fault_hits[fault] <= times

    def describe(self) -> dict[str, Any]:
        return {
            "logins": self.logins,
            "failed_logins": self.failed_logins,
            "sessions": sum(1 for s in self.sessions.values() if s.user is not None),
            "faults": list(self.env.scenario.faults),
            "fault_hits": dict(self.fault_hits),
        }
