"""Sessions, forms-authentication tickets, accounts and fault switches of the 315价格网 replica.

Two cookies, as on any ASP.NET site with forms authentication: `ASP.NET_SessionId` (the session,
issued on the first request; the captcha code lives in it and it is the view state's user key) and
`.ASPXAUTH` (the login ticket, with sliding expiry). A ticket the server no longer honours sends
every member page to `Login.aspx?ReturnUrl=…`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from replicas.common.faults import ListShift
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.jiage315.data import Dataset, build_dataset
from replicas.jiage315.webforms import StateCodec

SESSION_COOKIE = "ASP.NET_SessionId"
AUTH_COOKIE = ".ASPXAUTH"
_SID_ALPHABET = "abcdefghijklmnopqrstuvwxyz012345"  # what ASP.NET session ids are made of
_CAPTCHA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

FAULTS = (
    "session_expired",  # {after_requests = 0}: a ticket serves that many member pages, then is refused
    "challenge_on_login",  # Login.aspx shows an image captcha (ValidateCode.aspx) a person must read
    "account_locked",  # {usernames = [...]} (default: every account) "该账号已被锁定"
    "empty_lists",  # no orders, refunds or messages (records from `add` still appear)
    "page_500",  # {list = "orders", page = 1, times = 0}: the yellow page, NullReferenceException, HTTP 500
    "slow",  # {ms = 1500}: every response is that much later
    "timeout_page",  # {list = "orders", page = 1, ms = 90000}: the page hangs, then "Request timed out."
    "markup_drift",  # {what = "grid"}: one hook renamed; see HOOKS
    "count_mismatch",  # {list = "orders", delta = 1}: the "共 N 条记录" label is stale by delta
    "app_recycle",  # {after_postbacks = 1}: the machine key changes once; older view state fails its MAC
    "list_modal",  # the first list page opened says its 系统公告 in a script alert() (RegisterStartupScript)
    "list_shift",  # {list = "orders"}: a new record lands on top between the list's page 1 and page 2 (once)
    "column_moved",  # the first column of every GridView moves to the end
    "date_format",  # grid times are printed day first, "26/11/2026 09:20" (common/faults.py)
)

# The hooks the selectors file relies on, and what `markup_drift` renames each to.
HOOKS = {
    "grid": ("gv", "GridView_"),  # GridView ids: gvOrders → GridView_Orders
    "rows": ("row", "gv-row"),  # RowStyle / AlternatingRowStyle css classes
    "total": ("lblRecordCount", "lblCount"),
    "pager": ("pager", "pgr"),  # PagerStyle css class
    "page_size": ("每页显示", "显示条数"),
    "status": ("状态", "筛选"),  # the filter label: 订单状态 → 订单筛选
    "login": ("txtUserName", "txtLoginName"),
    "home": ("退出", "注销"),
}


@dataclass
class Ticket:
    """A forms-authentication ticket (`.ASPXAUTH`), honoured while fresh."""

    user: str
    last_seen: datetime
    requests: int = 0


@dataclass
class SiteState:
    env: ReplicaEnv
    data: Dataset = field(init=False)
    codec: StateCodec = field(init=False)
    captchas: dict[str, str] = field(default_factory=dict)  # by ASP.NET_SessionId
    tickets: dict[str, Ticket] = field(default_factory=dict)
    logins: int = 0
    failed_logins: int = 0
    postbacks: int = 0
    recycled: bool = False
    alerted: bool = False  # `list_modal` said its notice
    shift: ListShift = field(default_factory=ListShift)
    fault_hits: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = build_dataset(self.env.rng, self.env.clock.start, self.env.scenario)
        self.codec = StateCodec(secrets.token_bytes(32))

    # -- faults --------------------------------------------------------------------------------

    def fault(self, name: str) -> bool:
        return self.env.scenario.has(name)

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.env.scenario.arg(fault, name, default)

    def hook(self, name: str) -> str:
        usual, drifted = HOOKS[name]
        drift = self.fault("markup_drift") and self.arg("markup_drift", "what", "grid") == name
        return drifted if drift else usual

    def hits(self, fault: str, list_name: str, page: int) -> bool:
        """Whether a per-page fault fires for this request (and count it)."""
        if not self.fault(fault):
            return False
        if self.arg(fault, "list", "orders") != list_name or int(self.arg(fault, "page", 1)) != page:
            return False
        self.fault_hits[fault] = self.fault_hits.get(fault, 0) + 1
        times = int(self.arg(fault, "times", 0))
        return times == 0 or self.fault_hits[fault] <= times

    def count_postback(self) -> None:
        """An app-pool recycle with an auto-generated machine key: every older view state is void."""
        self.postbacks += 1
        after = int(self.arg("app_recycle", "after_postbacks", 1))
        if self.fault("app_recycle") and not self.recycled and self.postbacks > after:
            self.recycled = True
            self.codec = StateCodec(secrets.token_bytes(32))

    # -- sessions and tickets -------------------------------------------------------------------

    @staticmethod
    def new_session_id() -> str:
        return "".join(secrets.choice(_SID_ALPHABET) for _ in range(24))

    def ticket(self, value: str | None) -> Ticket | None:
        """The live ticket behind a `.ASPXAUTH` cookie, counting this request; None means log in."""
        ticket = self.tickets.get(value or "")
        if ticket is None:
            return None
        now = self.env.clock.now()
        budget = int(self.arg("session_expired", "after_requests", 0))
        idle = (now - ticket.last_seen).total_seconds()
        if idle > self.env.scenario.session_lifetime_s or (
            self.fault("session_expired") and ticket.requests >= budget
        ):
            self.tickets.pop(value or "", None)
            return None
        ticket.requests += 1
        ticket.last_seen = now
        return ticket

    def issue_ticket(self, user: str) -> str:
        value = secrets.token_hex(80).upper()  # real tickets are long upper-case hex
        self.tickets[value] = Ticket(user=user, last_seen=self.env.clock.now())
        self.logins += 1
        return value

    def expire_all(self) -> int:
        count = len(self.tickets)
        self.tickets.clear()
        return count

    def new_captcha(self, sid: str) -> str:
        code = "".join(secrets.choice(_CAPTCHA_ALPHABET) for _ in range(4))
        self.captchas[sid] = code
        return code

    # -- login ----------------------------------------------------------------------------------

    def accounts(self) -> dict[str, str]:
        extra = self.env.scenario.fault_args.get("accounts", {})
        return {DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}}

    def check_login(self, sid: str, username: str, password: str, code: str) -> str | None:
        """The message Login.aspx shows, or None when the login is accepted."""
        if self.fault("challenge_on_login"):
            wanted = self.captchas.pop(sid, None)  # one attempt per code, like Session["CheckCode"]
            if not code.strip():
                return "请输入验证码"
            if wanted is None or code.strip().upper() != wanted:
                return "验证码错误，请重新输入"
        if not username or self.accounts().get(username) != password:
            self.failed_logins += 1
            return "用户名或密码错误"
        locked = self.arg("account_locked", "usernames")
        if self.fault("account_locked") and (locked is None or username in locked):
            return "该账号已被锁定，请联系网站客服"
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "logins": self.logins, "failed_logins": self.failed_logins, "tickets": len(self.tickets),
            "postbacks": self.postbacks, "recycled": self.recycled, "faults": list(self.env.scenario.faults),
            "fault_hits": dict(self.fault_hits),
            "records": {name: len(rows) for name, rows in self.data.records.items()},
        }
