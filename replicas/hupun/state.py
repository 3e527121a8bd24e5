"""Sessions of both hosts, the SSO hop between them, the login, the data and the fault switches.

The erp host keeps its session in `JSESSIONID`; the biz host (the `old-erp` equivalent) in
`CALFSESSIONID`, set by the SSO hop `/service/sso/cookie/init?token=…&key=…` that each shell
frame sends its iframe through with a one-time token. Both hosts are 127.0.0.1 on different ports
and cookies ignore ports, so the two names must differ (as they do on the real hosts).
A biz session belongs to the erp session that issued its token and dies with it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from replicas.common.faults import ListShift
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.hupun.data import Dataset, build_dataset
from replicas.hupun.jobs import Tasks
from replicas.hupun.ledger import ledger

ERP_COOKIE, BIZ_COOKIE = "JSESSIONID", "CALFSESSIONID"
TOKEN_TTL_S = 60
FAULTS = (
    "session_expired",  # {after_requests = 0, where = "erp"|"biz"}: sessions of that host die after N requests
    "challenge_on_login",  # the login asks for a slider (安全验证) that only a person can drag
    "account_locked",  # {accounts = [..]} (default: every account): "账号已锁定"
    "empty_lists",  # the ERP holds no orders (records from `add.orders` still appear)
    "page_500",  # {list = "remarks"|"wms"|"home", page = 1, times = 0}: HTTP 500 for that page
    "slow",  # {ms = 1500}: every response of both hosts is that much slower
    "timeout_page",  # {list, page = 1, ms = 90000}: that page hangs, then 504
    "markup_drift",  # {what = "pager"}: one hook of state.HOOKS is renamed
    "count_mismatch",  # {list = "remarks"|"wms"|"home", delta = 1}: a total / the 异常 counter is off
    "job_stuck",  # the wave job stays 处理中 for ever
    "list_modal",  # the ad dialog also covers the first business page (shell + iframe) after a login
    "list_shift",  # {list = "remarks"}: a new order lands on top between the list's page 1 and page 2 (once)
    "date_format",  # business-page times are day first, "26/11/2026 09:20" (common/faults.py)
)
# fault_args.job.delay_s (no fault needed): how long the wave job runs, in real seconds.

HOOKS = {
    "login_switch": ("切换账号登录", "账号密码登录"),
    "login_button": ("login-btn", "btn-login"),
    "ad_close": ("ad-close", "ad-close-btn"),
    "refresh": ("el-icon-refresh", "el-icon-refresh-right"),
    "more_button": ("more-button", "more-btn"),
    "pager": ("hp-pager", "hp-pagination"),
    "task_panel": ("panelTask", "panel-task"),
    "remark_table": ("table-trades", "table-trade-list"),
    "wms_table": ("table-wms-orders", "table-wms-list"),
}


@dataclass
class ErpSession:
    sid: str
    user: str
    last_seen: datetime
    requests: int = 0
    ad_seen: bool = False
    list_ad_seen: bool = False


@dataclass
class BizSession:
    sid: str
    erp_sid: str
    requests: int = 0


@dataclass
class SiteState:
    env: ReplicaEnv
    erp: dict[str, ErpSession] = field(default_factory=dict)
    biz: dict[str, BizSession] = field(default_factory=dict)
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    tickets: set[str] = field(default_factory=set)
    logins: int = 0
    failed_logins: int = 0
    home_refreshes: int = 0
    tasks_polled: int = 0
    fault_hits: dict[str, int] = field(default_factory=dict)
    shift: ListShift = field(default_factory=ListShift)  # `list_shift`
    _data: Dataset | None = None
    _tasks: Tasks | None = None

    # -- data (built once every replica served together has published: World.built) ------------

    @property
    def data(self) -> Dataset:
        if self._data is None:
            scenario, env = self.env.scenario, self.env
            self._data = build_dataset(
                ledger(env.world, env.rng, env.clock.start, scenario.items), env.rng, env.clock.start,
                empty=scenario.has("empty_lists"), replace=scenario.replace.get("orders"),
                add=scenario.add.get("orders", []),
            )
        self.tasks.settle(self._data.orders, self.env.clock.start)
        return self._data

    @property
    def tasks(self) -> Tasks:
        if self._tasks is None:
            delay = float(self.arg("job", "delay_s", 3.0))
            self._tasks = Tasks(self.env.clock.start, delay_s=delay, stuck=self.fault("job_stuck"))
        return self._tasks

    def task_rows(self) -> list[dict[str, Any]]:
        """The task list, after letting a finished job move its orders."""
        self.tasks.settle(self.data.orders, self.env.clock.start)
        return self.tasks.rows()

    # -- faults --------------------------------------------------------------------------------

    def fault(self, name: str) -> bool:
        return self.env.scenario.has(name)

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.env.scenario.arg(fault, name, default)

    def hook(self, name: str) -> str:
        usual, drifted = HOOKS[name]
        drift = self.fault("markup_drift") and self.arg("markup_drift", "what", "pager") == name
        return drifted if drift else usual

    def hits(self, fault: str, list_name: str, page: int) -> bool:
        if not self.fault(fault):
            return False
        if self.arg(fault, "list", "remarks") != list_name or int(self.arg(fault, "page", 1)) != page:
            return False
        self.fault_hits[fault] = self.fault_hits.get(fault, 0) + 1
        times = int(self.arg(fault, "times", 0))
        return times == 0 or self.fault_hits[fault] <= times

    def mismatch(self, list_name: str) -> int:
        if not self.fault("count_mismatch") or self.arg("count_mismatch", "list", "remarks") != list_name:
            return 0
        return int(self.arg("count_mismatch", "delta", 1))

    # -- erp sessions ---------------------------------------------------------------------------

    def erp_session(self, sid: str, *, count: bool = True) -> ErpSession | None:
        """The live erp session of this cookie (counting the request); None when gone."""
        session = self.erp.get(sid)
        if session is None:
            return None
        idle = (self.env.clock.now() - session.last_seen).total_seconds()
        if idle > self.env.scenario.session_lifetime_s or (count and self._used_up(session.requests, "erp")):
            self._drop(sid)
            return None
        session.requests += int(count)
        session.last_seen = self.env.clock.now()
        return session

    def _used_up(self, requests: int, host: str) -> bool:
        if not self.fault("session_expired") or self.arg("session_expired", "where", "erp") != host:
            return False
        return requests >= int(self.arg("session_expired", "after_requests", 0))

    def _drop(self, erp_sid: str) -> None:
        self.erp.pop(erp_sid, None)
        self.biz = {k: b for k, b in self.biz.items() if b.erp_sid != erp_sid}

    def expire_all(self) -> int:
        count = len(self.erp)
        self.erp.clear()
        self.biz.clear()
        self.tokens.clear()
        return count

    def logout(self, sid: str) -> None:
        self._drop(sid)

    # -- the SSO hop and biz sessions -------------------------------------------------------------

    def issue_token(self, erp_sid: str) -> tuple[str, str]:
        token = secrets.token_hex(16)
        self.tokens[token] = (erp_sid, time.monotonic() + TOKEN_TTL_S)
        return token, _key(token)

    def redeem(self, token: str, key: str) -> BizSession | None:
        if key != _key(token):
            return None  # a forged hop does not burn the real token
        erp_sid, until = self.tokens.pop(token, ("", 0.0))
        if not erp_sid or time.monotonic() > until or erp_sid not in self.erp:
            return None
        session = BizSession(secrets.token_hex(16), erp_sid)
        self.biz[session.sid] = session
        return session

    def biz_session(self, sid: str, *, count: bool) -> BizSession | None:
        session = self.biz.get(sid)
        if session is None or self.erp_session(session.erp_sid, count=False) is None:
            self.biz.pop(sid, None)
            return None
        if count:
            if self._used_up(session.requests, "biz"):
                del self.biz[sid]
                return None
            session.requests += 1
        return session

    # -- login ----------------------------------------------------------------------------------

    def login(self, username: str, password: str, ticket: str) -> tuple[str, str, ErpSession | None]:
        """(code, message, the new session or None). Codes: OK, NEED_SLIDE, BAD_PASSWORD, LOCKED."""
        if not username or not password:
            return "BAD_REQUEST", "请输入账号和密码", None
        if self.fault("challenge_on_login") and ticket not in self.tickets:
            return "NEED_SLIDE", "请完成安全验证", None
        self.tickets.discard(ticket)
        accounts = {DEMO_USERNAME: DEMO_PASSWORD}
        if accounts.get(username) != password:
            self.failed_logins += 1
            return "BAD_PASSWORD", "账号或密码错误，请重新输入", None
        locked = self.arg("account_locked", "accounts", None)
        if self.fault("account_locked") and (locked is None or username in locked):
            return "LOCKED", "账号已锁定，请联系管理员解锁", None
        self.logins += 1
        session = ErpSession(secrets.token_hex(16).upper(), username, self.env.clock.now())
        self.erp[session.sid] = session
        return "OK", "登录成功", session

    def slide_ticket(self) -> str:
        ticket = secrets.token_hex(8)
        self.tickets.add(ticket)
        return ticket

    def describe(self) -> dict[str, Any]:
        data = self.data
        return {
            "logins": self.logins, "failed_logins": self.failed_logins, "erp_sessions": len(self.erp),
            "biz_sessions": len(self.biz), "home_refreshes": self.home_refreshes, "tasks_polled": self.tasks_polled,
            "orders": len(data.orders), "in_wms": len(data.in_wms()), "tasks": self.tasks.rows(),
            "faults": list(self.env.scenario.faults), "fault_hits": dict(self.fault_hits),
        }


def _key(token: str) -> str:
    return hashlib.sha1(f"hupun-sso:{token}".encode()).hexdigest()[:16]
