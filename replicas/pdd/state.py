"""Everything the PDD replica remembers: lists, sessions, login steps, SMS outbox, fault switches."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.pdd.data import DAY, DEFAULT_COUNTS, HOUR, LIST_NAMES, Maker, Record, complete, generate

DEFAULT_SUFFIX = "5-188-0"
LIST_ALIASES = {"complaints": "work_orders", "after_sales": "aftersales", "refunds": "aftersales"}
FAULTS = (
    "account_locked",        # correct password -> "账号异常 … 盗号风险" modal, no session
    "challenge_on_login",    # {timeout_s=120}: slider puzzle before the password is checked
    "session_expired",       # {after_requests=0}: sessions die after that many logged-in API calls
    "counter_mismatch",      # home counters disagree with the lists (+3 to ship, +2 after-sales)
    "aftersale_onboarding",  # "售后设置" guide modal blocks the after-sales list on every load
    "empty_lists",           # no generated records, zero counters (scenario add/replace still apply)
    "page_500",              # {list="orders", page=2, times=0}: that API page answers HTTP 500 (HTML)
    "slow",                  # {ms=2000}: extra delay on every list API
    "timeout_page",          # {list="orders", page=2, hold_s=75, times=0}: that page hangs, then 504
    "markup_drift",          # {testid="beast-core-table-body-tr"}: that data-testid gets a "-v2" suffix
    "list_shift",            # {list="orders"}: a new record lands on top between page 1 and page 2
    "date_format",           # the list APIs return times as day-first text, "26/11/2026 09:20" (common/faults.py)
)


@dataclass
class Session:
    token: str
    username: str
    created_at: float
    device: str
    api_requests: int = 0
    announced: bool = False


@dataclass
class Challenge:
    id: str
    username: str
    issued_at: float
    timeout_s: float


@dataclass
class LoginSteps:
    """Short-lived login state: slider challenges, their tokens, SMS codes, QR codes."""

    challenges: dict[str, Challenge] = field(default_factory=dict)
    passed: dict[str, str] = field(default_factory=dict)  # verificationCode -> username
    sms_pending: set[str] = field(default_factory=set)
    sms_codes: dict[str, tuple[str, float]] = field(default_factory=dict)  # username -> (code, at)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    qr: dict[str, int] = field(default_factory=dict)  # token -> 0 waiting, 1 scanned, 2 confirmed, 3 used


class PddState:
    def __init__(self, env: ReplicaEnv) -> None:
        self.env = env
        sc = env.scenario
        self.suffix = str(sc.fault_args.get("build", {}).get("suffix", DEFAULT_SUFFIX))
        extra = sc.fault_args.get("accounts", {})
        self.accounts = {DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}}
        self.drift = ""
        if self.fault("markup_drift"):
            self.drift = str(self.arg("markup_drift", "testid", "beast-core-table-body-tr"))
        self.maker = Maker(env.rng, int(env.clock.start.timestamp()))
        size = {k: (v if sc.items is None else sc.items) for k, v in DEFAULT_COUNTS.items()}
        if self.fault("empty_lists"):
            size = dict.fromkeys(size, 0)
        self.lists: dict[str, list[Record]] = generate(self.maker, size)
        for name, records in sc.replace.items():
            key = self._list_name(name)
            self.lists[key] = [complete(key, dict(r), self.maker) for r in records]
        for name, records in sc.add.items():
            key = self._list_name(name)
            self.lists[key] = [complete(key, dict(r), self.maker) for r in records] + self.lists[key]
        empty = self.fault("empty_lists")
        self.other_counts = {
            "waitPayNum": 0 if empty else env.rng.randrange(1, 9),
            "waitFinishNum": 0 if empty else env.rng.randrange(20, 120),
        }
        self.codes = random.Random(env.rng.getrandbits(64))
        self.sessions: dict[str, Session] = {}
        self.qr_user = DEMO_USERNAME
        self.login = LoginSteps()
        self.api_calls: dict[str, int] = {}
        self.fault_hits: dict[str, int] = {}
        self.shift_armed: set[str] = set()

    # -- scenario ---------------------------------------------------------------------------
    def fault(self, name: str) -> bool:
        return self.env.scenario.has(name)

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.env.scenario.arg(fault, name, default)

    @staticmethod
    def _list_name(name: str) -> str:
        key = LIST_ALIASES.get(name, name)
        if key not in LIST_NAMES:
            raise ValueError(f"pdd replica has no list {name!r} (lists: {', '.join(LIST_NAMES)})")
        return key

    def fault_list(self, fault: str) -> str:
        name = str(self.arg(fault, "list", "orders"))
        return LIST_ALIASES.get(name, name)

    def now(self) -> float:
        return self.env.clock.now().timestamp()

    # -- sessions ---------------------------------------------------------------------------
    def new_session(self, username: str, device: str) -> Session:
        token = secrets.token_hex(24)
        session = Session(token, username, self.now(), device)
        self.sessions[token] = session
        return session

    def session_for(self, request: Request, *, api: bool) -> Session | None:
        """The request's valid session, or None; logged-in API calls count towards expiry."""
        token = request.cookies.get("PASS_ID", "")
        session = self.sessions.get(token)
        if session is None:
            return None
        budget = int(self.arg("session_expired", "after_requests", 0))
        too_old = self.now() - session.created_at >= self.env.scenario.session_lifetime_s
        if too_old or (self.fault("session_expired") and session.api_requests >= budget):
            del self.sessions[token]
            return None
        if api:
            session.api_requests += 1
        return session

    def expire_all(self) -> int:
        count = len(self.sessions)
        self.sessions.clear()
        return count

    # -- derived values ---------------------------------------------------------------------
    def remain(self, case: Record) -> Any:
        """expireRemainTime at request time: seconds left, null when not waiting on the merchant."""
        if "expireRemainTime" in case:  # given by a scenario: passed through as is
            return case["expireRemainTime"]
        deadline = case.get("_deadline")
        if not isinstance(deadline, int | float):
            return None
        return max(0, int(deadline - self.now()))

    def public(self, name: str, record: Record) -> Record:
        out = {k: v for k, v in record.items() if not k.startswith("_")}
        if name == "aftersales":
            out["expireRemainTime"] = self.remain(record)
        return out

    @staticmethod
    def waiting(case: Record) -> bool:
        title = case.get("afterSalesTitle")
        return isinstance(title, str) and "待商家" in title

    def counters(self) -> dict[str, Any]:
        now = self.now()
        to_ship = [o for o in self.lists["orders"] if o.get("order_status") == 1]
        promises = [p for o in to_ship if isinstance(p := o.get("promise_shipping_time"), int | float)]
        waiting = [c for c in self.lists["aftersales"] if self.waiting(c)]
        warn = [c for c in waiting if isinstance(r := self.remain(c), int | float) and r <= DAY]
        result: dict[str, Any] = {
            **self.other_counts,
            "unPrint": sum(1 for o in to_ship if not o.get("tracking_number")),
            "waitShipNum": len(to_ship),
            "unShip12H": sum(1 for p in promises if 0 <= p - now <= 12 * HOUR),
            "delay": sum(1 for p in promises if p < now),
            "pendingOrder": sum(1 for w in self.lists["work_orders"] if w.get("status") == 1),
            "aftersalesNew": {"totalWaitHandleCount": len(waiting), "expireEarlyWarningCount": len(warn)},
            "inqueryRate": "98.6%",
            "unReturnFds": 0,
        }
        if self.fault("counter_mismatch"):
            result["waitShipNum"] += 3
            result["aftersalesNew"]["totalWaitHandleCount"] += 2
        return result

    # -- list faults ------------------------------------------------------------------------
    def fault_page(self, fault: str, name: str, page: int) -> bool:
        """Whether `fault` hits this page of this list (each hit counted against `times`)."""
        if not self.fault(fault) or self.fault_list(fault) != name:
            return False
        if int(self.arg(fault, "page", 2)) != page:
            return False
        times = int(self.arg(fault, "times", 0))
        hits = self.fault_hits.get(fault, 0)
        if times and hits >= times:
            return False
        self.fault_hits[fault] = hits + 1
        return True

    def shift(self, name: str, page: int) -> None:
        """list_shift: page 1 arms it; the next later page of that list first gets a new top record."""
        if not self.fault("list_shift") or self.fault_list("list_shift") != name:
            return
        if page <= 1:
            self.shift_armed.add(name)
        elif name in self.shift_armed:
            self.shift_armed.discard(name)
            self.lists[name].insert(0, self.fresh(name))

    def fresh(self, name: str) -> Record:
        now = int(self.now())
        if name == "orders":
            rec = self.maker.order("comfortable")
            rec.update(created_at=now - 30, order_time=now - 20, confirm_time=now - 20,
                       payment_start_time=now - 30, promise_shipping_time=now - 20 + 48 * HOUR)
        elif name == "aftersales":
            rec = self.maker.aftersale("仅退款，待商家处理", 7 * DAY)
            rec.update(createdAt=now - 30, _deadline=now + 7 * DAY - 30)
        elif name == "work_orders":
            rec = self.maker.work_order(1, 2 * DAY)
            rec["createdAt"] = now - 30
        else:
            rec = self.maker.prescription(0)
            rec["createdAt"] = now - 30
        return rec

    def summary(self) -> dict[str, Any]:
        return {
            "lists": {k: len(v) for k, v in self.lists.items()},
            "sessions": [
                {"username": s.username, "device": s.device, "api_requests": s.api_requests}
                for s in self.sessions.values()
            ],
            "faults": list(self.env.scenario.faults),
            "build": self.suffix,
            "sms_sent": len(self.login.outbox),
            "api_calls": dict(self.api_calls),
            "counters": self.counters(),
        }
