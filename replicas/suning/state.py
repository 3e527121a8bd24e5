"""What the Suning replica remembers, shared by its three hosts (built in one `build`).

mpassport issues one-time service tickets; moms exchanges a ticket for its own session cookie,
validating it against this shared object, as a CAS service validates against the CAS server.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from replicas.common.faults import ListShift
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, ReplicaEnv
from replicas.suning.data import (
    DEFAULT_COUNTS,
    KEY_FIELD,
    Maker,
    Record,
    complete,
    generate,
    list_name,
    merge,
)

FAULTS = (
    "session_expired",     # {after_requests=0}: a moms session dies after serving that many list pages
    "challenge_on_login",  # the slider (#siller) is shown and required on every login
    "account_locked",      # {account=<all>}: correct password -> "账户已被锁定"
    "empty_lists",         # no generated records (scenario add/replace still apply)
    "page_500",            # {list=<any>, page=<any>, times=0}: that list page answers HTTP 500
    "busy_page",           # {list=<any>, page=<any>, times=0}: HTTP 200 "系统繁忙" page instead of the list
    "slow",                # {ms=2000}: extra delay on every moms page
    "timeout_page",        # {list=<any>, page=<any>, hold_s=90}: that page never answers (until hold_s)
    "markup_drift",        # {what="order_num"}: one hook the selectors rely on is renamed (see HOOKS)
    "count_drift",         # {list="to_ship", delta=2}: the tab counter disagrees with the list
    "list_modal",          # the 系统公告 dialog, over a mask, covers every list page until it is closed
    "list_shift",          # {list="to_ship"}: a new record lands on top between the list's page 1 and page 2
    "column_moved",        # the first column of every list table moves to the end (cells keep their classes)
    "date_format",         # list times are printed day first, "26/11/2026 09:20" (common/faults.py)
)

# The markup hooks selectors/suning.toml relies on, and what `markup_drift` renames them to.
HOOKS = {
    "login_button": "loginButton",
    "order_num": "order-list-orderNum",
    "tabdiv": "tabdiv",
    "next": "next",
    "count": "tab-label",
    "row": "order-item",
}
MOMS = "sopSecureToken"
DEVICE = "_device_session_id"


@dataclass
class Session:
    token: str
    username: str
    created: datetime
    requests: int = 0
    notice_read: bool = False
    list_notice_read: bool = False


@dataclass
class Pending:
    """A password login waiting for its SMS code on masc."""

    key: str
    username: str
    service: str
    device: str
    phone: str
    code: str = ""


@dataclass
class Passport:
    """mpassport's memory: accounts, failures, slider tokens, tickets, SMS steps, trusted devices."""

    accounts: dict[str, str]
    failures: dict[str, int] = field(default_factory=dict)
    slider_tokens: set[str] = field(default_factory=set)
    tickets: dict[str, tuple[str, str]] = field(default_factory=dict)  # ticket -> (user, service)
    pending: dict[str, Pending] = field(default_factory=dict)
    trusted: set[str] = field(default_factory=set)
    outbox: list[dict[str, str]] = field(default_factory=list)
    logins: int = 0

    def issue_ticket(self, username: str, service: str) -> str:
        ticket = f"ST-{secrets.token_hex(12)}"
        self.tickets[ticket] = (username, service)
        self.logins += 1
        return ticket

    def redeem(self, ticket: str) -> str | None:
        """One-time: a ticket is gone once validated."""
        found = self.tickets.pop(ticket, None)
        return found[0] if found else None


class SuningState:
    def __init__(self, env: ReplicaEnv) -> None:
        self.env = env
        sc = env.scenario
        self.faults = set(sc.faults)
        self.fault_args: dict[str, dict[str, Any]] = {k: dict(v) for k, v in sc.fault_args.items()}
        extra = self.fault_args.get("accounts", {})
        self.passport = Passport({DEMO_USERNAME: DEMO_PASSWORD, **{str(k): str(v) for k, v in extra.items()}})
        self.codes = random.Random(env.rng.getrandbits(64))
        self.maker = Maker(env.rng, env.clock.start)
        sizes = {k: (v if sc.items is None else sc.items) for k, v in DEFAULT_COUNTS.items()}
        if self.fault("empty_lists"):
            sizes = dict.fromkeys(sizes, 0)
        self.lists: dict[str, list[Record]] = generate(self.maker, sizes)
        for name, records in sc.replace.items():
            key = list_name(name)
            self.lists[key] = [complete(key, dict(r), self.maker) for r in records]
        for name, records in sc.add.items():
            key = list_name(name)
            added = [complete(key, dict(r), self.maker) for r in records]
            self.lists[key] = merge(self.lists[key], added, KEY_FIELD[key])
        self.sessions: dict[str, Session] = {}
        self.fault_hits: dict[str, int] = {}
        self.pages_served: dict[str, int] = {}
        self.shift = ListShift()  # `list_shift`

    # -- faults -----------------------------------------------------------------------------
    def fault(self, name: str) -> bool:
        return name in self.faults

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.fault_args.get(fault, {}).get(name, default)

    def set_faults(self, faults: list[str], args: dict[str, dict[str, Any]]) -> None:
        """Switch faults at run time (replica-only control route)."""
        self.faults = set(faults)
        self.fault_args.update({k: dict(v) for k, v in args.items()})
        self.fault_hits.clear()

    def hook(self, name: str) -> str:
        base = HOOKS[name]
        drifted = self.fault("markup_drift") and str(self.arg("markup_drift", "what", "order_num")) == name
        return f"{base}-v2" if drifted else base

    def fault_page(self, fault: str, name: str, page: int) -> bool:
        """Whether `fault` hits this page of this list; each hit counts against `times` (0 = always)."""
        if not self.fault(fault):
            return False
        wanted = self.arg(fault, "list")
        if wanted is not None and list_name(str(wanted)) != name:
            return False
        at = self.arg(fault, "page")
        if at is not None and int(at) != page:
            return False
        times = int(self.arg(fault, "times", 0))
        hits = self.fault_hits.get(fault, 0)
        if times and hits >= times:
            return False
        self.fault_hits[fault] = hits + 1
        return True

    def counter(self, name: str) -> int:
        """The tab counter: the list's size, unless `count_drift` says otherwise."""
        size = len(self.lists[name])
        if self.fault("count_drift") and list_name(str(self.arg("count_drift", "list", "to_ship"))) == name:
            size += int(self.arg("count_drift", "delta", 2))
        return size

    # -- login ------------------------------------------------------------------------------
    def slider_required(self, username: str) -> bool:
        return self.fault("challenge_on_login") or self.passport.failures.get(username, 0) > 0

    def locked(self, username: str) -> bool:
        if not self.fault("account_locked"):
            return False
        who = self.arg("account_locked", "account")
        return who is None or str(who) == username

    def sms_code(self) -> str:
        return f"{self.codes.randrange(10**6):06d}"

    def phone_of(self, username: str) -> str:
        digits = sum(map(ord, username)) % 10000
        return f"138****{digits:04d}"

    # -- moms sessions ----------------------------------------------------------------------
    def new_session(self, username: str) -> Session:
        session = Session(secrets.token_hex(20), username, self.env.clock.now())
        self.sessions[session.token] = session
        return session

    def session(self, token: str, *, data_page: bool) -> Session | None:
        """A valid moms session; list and detail pages count towards `session_expired`."""
        session = self.sessions.get(token)
        if session is None:
            return None
        age = (self.env.clock.now() - session.created).total_seconds()
        budget = int(self.arg("session_expired", "after_requests", 0))
        used_up = data_page and self.fault("session_expired") and session.requests >= budget
        if age >= self.env.scenario.session_lifetime_s or used_up:
            del self.sessions[token]
            return None
        if data_page:
            session.requests += 1
        return session

    def expire_all(self) -> int:
        count = len(self.sessions)
        self.sessions.clear()
        self.passport.tickets.clear()
        self.passport.pending.clear()
        return count

    def summary(self) -> dict[str, Any]:
        return {
            "lists": {k: len(v) for k, v in self.lists.items()},
            "sessions": [{"username": s.username, "requests": s.requests} for s in self.sessions.values()],
            "logins": self.passport.logins,
            "faults": sorted(self.faults),
            "sms_sent": len(self.passport.outbox),
            "pages_served": dict(self.pages_served),
        }
