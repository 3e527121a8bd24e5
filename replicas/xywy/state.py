"""Sessions, accounts, captcha and fault switches of the 闻康商城 replica.

Like a Spring Boot admin, every visitor gets a `JSESSIONID` on the first page; logging in marks a
fresh session (new id: session-fixation protection) as the user's. A successful login also sets a
long-lived device cookie: the image captcha shows on the login form when the scenario says the
device is unknown and no earlier login from this browser set that cookie, after a failed password
in the same session, or always under `challenge_on_login`. The server forgets a session after
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

COOKIE = "JSESSIONID"
DEVICE_COOKIE = "WKSC_DID"
CAPTCHA_CHARS = "ABCDEFGHJKMNPQRSTUVWXY3456789"

FAULTS = (
    "session_expired",  # {after_requests = 0}: each session dies after that many authenticated requests
    "challenge_on_login",  # the login form always asks for the 4-character image captcha
    "account_locked",  # {accounts = [..]} (default: every account): the right password is refused, locked
    "empty_lists",  # no orders, refunds or questions (records from `add.*` still appear)
    "page_500",  # {list = "orders", page = 1, times = 0}: HTTP 500 for that page (0 = every time)
    "system_busy",  # {list = "orders", page = 1}: HTTP 200 with {code: 500, msg: "系统繁忙"}
    "slow",  # {ms = 1500}: every response is that much slower
    "timeout_page",  # {list = "orders", page = 1, ms = 90000}: that page hangs, then 504
    "markup_drift",  # {what = "order_table"}: one hook the selectors rely on is renamed (see HOOKS)
    "count_mismatch",  # {list = "orders", delta = 1, where = "total"|"counter"}: a count disagrees with the rows
    "list_modal",  # the 平台公告 dialog also covers the first list page a session opens
    "list_shift",  # {list = "orders"}: a new record lands on top between a list's page 1 and page 2 (once)
    "date_format",  # every time the API returns is day first, "26/11/2026 09:20" (common/faults.py)
)

# The hooks the selectors file relies on, and what `markup_drift` renames each to.
HOOKS = {
    "username": ("账号", "登录账号"),
    "password": ("密码", "登录密码"),
    "captcha": ("验证码", "图形码"),
    "submit": ("登录", "立即登录"),
    "logout": ("退出登录", "注销"),
    "stat_card": ("stat-card", "stat-item"),
    "notice_close": ("我知道了", "关闭"),
    "order_table": ("order-table", "order-grid"),
    "refund_table": ("refund-table", "refund-grid"),
    "consult_table": ("consult-table", "consult-grid"),
    "page_size": ("每页显示", "每页条数"),
    "next": ("下一页", "后一页"),
}


@dataclass
class Session:
    sid: str
    last_seen: datetime
    user: str | None = None
    captcha: str = ""
    failed: bool = False  # a wrong password in this session: the captcha shows from now on
    flash: str = ""  # the login error shown once after the redirect back to /login
    requests: int = 0
    notice_read: bool = False
    list_notice_read: bool = False


@dataclass
class SiteState(CookieSessionSite[Session]):
    cookie: ClassVar[str] = COOKIE
    env: ReplicaEnv
    sessions: dict[str, Session] = field(default_factory=dict)
    devices: set[str] = field(default_factory=set)
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
        return Session(sid=secrets.token_hex(16).upper(), last_seen=now, user=user)

    def expire_all(self) -> int:
        count = sum(1 for s in self.sessions.values() if s.user is not None)
        self.sessions = {k: s for k, s in self.sessions.items() if s.user is None}
        return count

    # --- captcha and login ----------------------------------------------------------------------

    def wants_captcha(self, session: Session, device: str) -> bool:
        unknown_device = not self.env.scenario.known_device and device not in self.devices
        return self.fault("challenge_on_login") or unknown_device or session.failed

    def new_captcha(self, session: Session) -> str:
        session.captcha = "".join(self.env.rng.choices(CAPTCHA_CHARS, k=4))
        return session.captcha

    def login(self, session: Session, form: dict[str, str], device: str) -> tuple[str, Session | None]:
        """(the error to show, or "" with the new logged-in session)."""
        username, password = form.get("username", "").strip(), form.get("password", "")
        if not username or not password:
            return "请输入账号和密码", None
        if self.wants_captcha(session, device):
            typed, wanted = form.get("captcha", "").strip().upper(), session.captcha
            self.new_captcha(session)  # a captcha is good for one attempt
            if not typed:
                return "请输入验证码", None
            if typed != wanted:
                return "验证码错误，请重新输入", None
        if self.accounts.get(username) != password:
            self.failed_logins += 1
            session.failed = True
            return "账号或密码错误", None
        locked = self.arg("account_locked", "accounts", None)
        if self.fault("account_locked") and (locked is None or username in locked):
            return "账号已被锁定，请30分钟后再试或联系平台客服", None
        self.sessions.pop(session.sid, None)
        self.logins += 1
        return "", self._new(user=username)

    def new_device(self) -> str:
        device = secrets.token_hex(12)
        self.devices.add(device)
        return device

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

    def miscount(self, list_name: str, where: str) -> int:
        """What `count_mismatch` adds to a list's total or its dashboard counter."""
        if not self.fault("count_mismatch") or self.arg("count_mismatch", "list", "orders") != list_name:
            return 0
        if self.arg("count_mismatch", "where", "total") != where:
            return 0
        return int(self.arg("count_mismatch", "delta", 1))

    def describe(self) -> dict[str, Any]:
        return {
            "logins": self.logins,
            "failed_logins": self.failed_logins,
            "sessions": sum(1 for s in self.sessions.values() if s.user is not None),
            "faults": list(self.env.scenario.faults),
            "fault_hits": dict(self.fault_hits),
        }
