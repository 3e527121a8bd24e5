"""The fault matrix: one row per fault, switched on in every replica by scenario, and what each
platform must then produce.

A row is swept once with all its platforms in one browser (tests/faults/test_fault_matrix.py).
Each cell says: the status, a fragment the reason must contain (the site's own words where it has
them), whether evidence (a screenshot and a Playwright trace) is kept, and whether findings are
kept. A fault that cannot apply to a platform is in `not_applicable` with the reason, never
skipped silently.

    row                 admin  hupun  jiage315 pdd    pingan suning xywy   yaofangwang
    session_expired     ok     ok     ok       ok     ok     ok     ok     ok        (logged in again)
    session_refused     login  login  login    login  login  login  login  login
    challenge_on_login  login  login  login    login  login  login  login  login
    wrong_password      failed failed failed   failed failed failed failed failed
    account_locked      failed failed failed   failed failed failed failed failed
    page_500            part.  part.  part.    part.  part.  part.  part.  part.
    timeout_page        part.  part.  part.    part.  part.  part.  part.  part.
    list_modal          ok     ok     ok       ok     ok     ok     ok     ok
    empty_lists         ok     ok     ok       ok     ok     ok     ok     ok        (0 findings)
    list_shift          part.  part.  part.    part.  part.  part.  part.  part.     (the reason says why)
    markup_drift        failed failed failed   failed failed failed failed failed    ("layout changed: …")
    column_moved        n/a    n/a    ok       n/a    n/a    ok     n/a    ok
    date_format         ok     ok     ok       ok     ok     ok     ok     ok        (findings flagged)

(login = needs_login, part. = partial.) The cells below are the source of truth; this sketch is
for reading. Rows sweep small lists (`Row.items`) unless a fault needs more than one page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sweeper.models import FlowStatus

PLATFORMS = ("admin", "hupun", "jiage315", "pdd", "pingan", "suning", "xywy", "yaofangwang")

OK, PARTIAL, NEEDS_LOGIN, FAILED = FlowStatus.OK, FlowStatus.PARTIAL, FlowStatus.NEEDS_LOGIN, FlowStatus.FAILED


@dataclass(frozen=True)
class Expect:
    """One cell: what one platform must produce under the row's fault."""

    status: FlowStatus
    reason: str = ""  # a fragment of FlowResult.reason; an `ok` platform has no reason at all
    findings: bool = False  # True: findings kept (lists read before the fault, or beside it in a tab)
    fix: str = ""  # a fragment of the fix command the report prints

    @property
    def evidence(self) -> bool:
        """A screenshot and a trace, kept for every platform that did not end `ok` (and only then)."""
        return self.status is not OK


@dataclass(frozen=True)
class Row:
    name: str
    what: str
    scenario: Mapping[str, Mapping[str, Any]]  # platform -> its [platforms.<key>] scenario table
    expect: Mapping[str, Expect]
    not_applicable: Mapping[str, str] = field(default_factory=dict)  # platform -> why
    password: str | None = None  # None: the demo password
    stale_sessions: bool = False  # every platform starts from a saved session the site forgot
    action_timeout_s: float = 20.0
    cli: bool = False  # also swept through `sweeper run --all`, checking the exit code
    items: int | None = 6  # open records per list, unless a platform's scenario says (small: fast)

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(p for p in PLATFORMS if p not in self.not_applicable)


def _every(faults: list[str], **args: Any) -> dict[str, dict[str, Any]]:
    table: dict[str, Any] = {"faults": faults}
    if args:
        table["fault_args"] = args
    return dict.fromkeys(PLATFORMS, table)


def _all(cell: Expect) -> dict[str, Expect]:
    return dict.fromkeys(PLATFORMS, cell)


def _fault(name: str, **args: Any) -> dict[str, Any]:
    return {"faults": [name], "fault_args": {name: args}} if args else {"faults": [name]}


# -- login ---------------------------------------------------------------------------------------

SESSION_EXPIRED = Row(
    "session_expired", "the saved session is no longer accepted: the stored password logs in again",
    scenario={}, stale_sessions=True, expect=_all(Expect(OK, findings=True)),
)

SESSION_REFUSED = Row(
    "session_refused", "the site drops every session at once, even a fresh login",
    scenario=_every(["session_expired"], session_expired={"after_requests": 0}),
    expect={
        "admin": Expect(NEEDS_LOGIN, "asked to log in again", fix="sweeper login admin"),
        "hupun": Expect(NEEDS_LOGIN, "登录已失效", fix="sweeper login hupun"),
        "jiage315": Expect(NEEDS_LOGIN, "login page again", fix="sweeper login jiage315"),
        "pdd": Expect(NEEDS_LOGIN, "asked to log in again", fix="sweeper login pdd"),
        "pingan": Expect(NEEDS_LOGIN, "登录状态已失效", fix="sweeper login pingan"),
        "suning": Expect(NEEDS_LOGIN, "asked to log in again", fix="sweeper login suning"),
        "xywy": Expect(NEEDS_LOGIN, "asked to log in again", fix="sweeper login xywy"),
        "yaofangwang": Expect(NEEDS_LOGIN, "back to its login page", fix="sweeper login yaofangwang"),
    },
)

CHALLENGE = Row(
    "challenge_on_login", "a captcha or slider on a headless run: nobody waits, the report names the fix",
    scenario=_every(["challenge_on_login"]),
    expect={
        "admin": Expect(NEEDS_LOGIN, "图片验证码", fix="sweeper login admin --account default"),
        "hupun": Expect(NEEDS_LOGIN, "滑块", fix="sweeper login hupun --account default"),
        "jiage315": Expect(NEEDS_LOGIN, "验证码", fix="sweeper login jiage315 --account default"),
        "pdd": Expect(NEEDS_LOGIN, "slider", fix="sweeper login pdd --account default"),
        "pingan": Expect(NEEDS_LOGIN, "验证码", fix="sweeper login pingan --account default"),
        "suning": Expect(NEEDS_LOGIN, "滑块", fix="sweeper login suning --account default"),
        "xywy": Expect(NEEDS_LOGIN, "验证码", fix="sweeper login xywy --account default"),
        "yaofangwang": Expect(NEEDS_LOGIN, "验证码", fix="sweeper login yaofangwang --account default"),
    },
)

WRONG_PASSWORD = Row(
    "wrong_password", "the keyring holds a wrong password: refused, never retried",
    scenario={}, password="not-the-password-2026",
    expect={
        "admin": Expect(FAILED, "用户名或密码错误", fix="sweeper credentials set admin --account default"),
        "hupun": Expect(FAILED, "账号或密码错误", fix="sweeper credentials set hupun --account default"),
        "jiage315": Expect(FAILED, "用户名或密码错误", fix="sweeper credentials set jiage315 --account default"),
        "pdd": Expect(FAILED, "账号或密码错误", fix="sweeper credentials set pdd --account default"),
        "pingan": Expect(FAILED, "账号或密码错误", fix="sweeper credentials set pingan --account default"),
        "suning": Expect(FAILED, "用户名或密码错误", fix="sweeper credentials set suning --account default"),
        "xywy": Expect(FAILED, "账号或密码错误", fix="sweeper credentials set xywy --account default"),
        "yaofangwang": Expect(FAILED, "用户名或密码错误", fix="sweeper credentials set yaofangwang --account default"),
    },
    cli=True,
)

ACCOUNT_LOCKED = Row(
    "account_locked", "the right password, but the site says the account is locked",
    scenario=_every(["account_locked"]),
    expect={
        "admin": Expect(FAILED, "账号已被锁定"),
        "hupun": Expect(FAILED, "账号已锁定"),
        "jiage315": Expect(FAILED, "该账号已被锁定"),
        "pdd": Expect(FAILED, "盗号风险"),
        "pingan": Expect(FAILED, "账号已被锁定"),
        "suning": Expect(FAILED, "账户已被锁定"),
        "xywy": Expect(FAILED, "账号已被锁定"),
        "yaofangwang": Expect(FAILED, "该账号已被锁定"),
    },
)

# -- pages ---------------------------------------------------------------------------------------

# The second list each flow reads fails on its first page, so the first list's findings are kept
# (it is read before the fault, or beside it in another tab).
# (The admin flow reads the stock list first, which raises no findings of its own.)
_SECOND_LIST = {
    "admin": "orders", "hupun": "wms", "jiage315": "refunds", "pdd": "aftersales", "pingan": "refunds",
    "suning": "unpaid", "xywy": "refunds", "yaofangwang": "refunds",
}
_KEPT_BEFORE = {p: p != "admin" for p in PLATFORMS}

PAGE_500 = Row(
    "page_500", "HTTP 500 on one page of a list: partial, what was read before is kept",
    scenario={p: _fault("page_500", list=lst, page=1) for p, lst in _SECOND_LIST.items()},
    expect={p: Expect(PARTIAL, "HTTP 500", findings=_KEPT_BEFORE[p]) for p in PLATFORMS},
)

# The page hangs for 8 s, then the gateway answers 504. Flows that wait for the page's JSON see the
# 504; flows that wait for the document give up first, after the 4 s action timeout.
_HOLD_S = 8
_HOLD = {"admin": "ms", "hupun": "ms", "jiage315": "ms", "pdd": "hold_s", "pingan": "ms", "suning": "hold_s",
         "xywy": "ms", "yaofangwang": "hold_s"}

TIMEOUT_PAGE = Row(
    "timeout_page", "one page of a list does not answer in time: partial, what was read before is kept",
    scenario={
        p: _fault("timeout_page", list=lst, page=1, **{_HOLD[p]: _HOLD_S * (1000 if _HOLD[p] == "ms" else 1)})
        for p, lst in _SECOND_LIST.items()
    },
    action_timeout_s=4.0,
    expect={
        "admin": Expect(PARTIAL, "HTTP 504"),
        "hupun": Expect(PARTIAL, "HTTP 504", findings=True),
        "jiage315": Expect(PARTIAL, "timed out", findings=True),
        "pdd": Expect(PARTIAL, "HTTP 504", findings=True),
        "pingan": Expect(PARTIAL, "HTTP 504", findings=True),
        "suning": Expect(PARTIAL, "timed out", findings=True),
        "xywy": Expect(PARTIAL, "HTTP 504", findings=True),
        "yaofangwang": Expect(PARTIAL, "timed out", findings=True),
    },
)

# Lists of more than one page, where a flow must click through the modal (a pager, a query button).
_MODAL_ITEMS = {"suning": 105, "xywy": 105}

LIST_MODAL = Row(
    "list_modal", "an announcement / onboarding modal covers a list page: closed, the list read",
    scenario={
        p: {**_fault("aftersale_onboarding" if p == "pdd" else "list_modal"),
            **({"items": _MODAL_ITEMS[p]} if p in _MODAL_ITEMS else {})}
        for p in PLATFORMS
    },
    expect=_all(Expect(OK, findings=True)),
)

EMPTY_LISTS = Row(
    "empty_lists", "nothing open anywhere: confirmed empty (ok, zero findings), not failed",
    scenario=_every(["empty_lists"]),
    expect=_all(Expect(OK, findings=False)),
    cli=True,
)

# Rows move between the flow's page 1 and page 2 (a new record lands on top, or records leave).
# Lists must be longer than the largest page size for a page 2 to exist.
_SHIFT: dict[str, dict[str, Any]] = {
    "admin": {"items": 210, **_fault("list_shift", list="orders")},
    "hupun": {**_fault("list_shift", list="remarks")},  # >1000 rows: the marketplaces' ledger (see items)
    "jiage315": {"items": 105, **_fault("list_shift", list="orders")},
    "pdd": {"items": 60, **_fault("list_shift", list="orders")},
    "pingan": {"items": 105, **_fault("list_shift", list="orders_ship")},
    "suning": {"items": 105, **_fault("list_shift", list="to_ship")},
    "xywy": {"items": 105, **_fault("list_shift", list="orders")},
    # records leave the list once page 2 was served (page 1 is served twice: before and after the
    # flow picks the largest page size), so the flow's page 3 starts one record late
    "yaofangwang": {"items": 205, **_fault("list_shifts", list="orders", after_page=2, count=1)},
}

LIST_SHIFT = Row(
    "list_shift", "the list changes while being paged: no duplicates, no silent gaps (partial with the reason)",
    scenario=_SHIFT,
    expect={
        **{p: Expect(PARTIAL, "changed while it was paged (1 row(s) read twice", findings=True)
           for p in PLATFORMS if p != "yaofangwang"},
        # a record left: nothing is read twice, but one fewer row than the pager promised
        "yaofangwang": Expect(PARTIAL, "orders_to_ship: read 204 rows, the platform says 205", findings=True),
    },
)

# -- markup drift --------------------------------------------------------------------------------

MARKUP_DRIFT = Row(
    "markup_drift", "a hook the selectors rely on is renamed: failed, naming the locator",
    scenario={
        "admin": _fault("markup_drift", what="order_table"),
        "hupun": _fault("markup_drift", what="wms_table"),
        "jiage315": _fault("markup_drift", what="grid"),
        "pdd": _fault("markup_drift", testid="beast-core-select"),
        "pingan": {**_fault("markup_drift", what="page_size"), "items": 30},  # more than the first page
        "suning": _fault("markup_drift", what="order_num"),
        "xywy": _fault("markup_drift", what="refund_table"),
        "yaofangwang": _fault("markup_drift", what="rows"),
    },
    expect={
        "admin": Expect(FAILED, "layout changed: orders.table"),
        "hupun": Expect(FAILED, "layout changed: biz.wms_table", findings=True),
        "jiage315": Expect(FAILED, "layout changed: orders.grid"),
        "pdd": Expect(FAILED, "layout changed: prescriptions.status_filter", findings=True),
        "pingan": Expect(FAILED, "layout changed: list.page_size"),
        # The order lists lose their hook; the after-sale list read beside them (a tab of its own) is kept.
        "suning": Expect(FAILED, "layout changed on to_ship page 1: order_cells.order_no", findings=True),
        "xywy": Expect(FAILED, "layout changed: list.refund_table", findings=True),
        "yaofangwang": Expect(FAILED, "layout changed on orders_to_ship: list.record_head"),
    },
)

_READS_JSON = "reads the list's JSON, never the table's cells: the column order is not an input"

COLUMN_MOVED = Row(
    "column_moved", "a column moved in a server-rendered table: read by its title or hook, all kept",
    scenario={p: _fault("column_moved") for p in ("jiage315", "suning", "yaofangwang")},
    not_applicable=dict.fromkeys(("admin", "hupun", "pdd", "pingan", "xywy"), _READS_JSON),
    expect={p: Expect(OK, findings=True) for p in ("jiage315", "suning", "yaofangwang")},
)

DATE_FORMAT = Row(
    "date_format", "dates arrive in a format never seen before: every row kept, the date flagged with its raw text",
    scenario=_every(["date_format"]),
    expect=_all(Expect(OK, findings=True)),
)

ROWS: tuple[Row, ...] = (
    SESSION_EXPIRED, SESSION_REFUSED, CHALLENGE, WRONG_PASSWORD, ACCOUNT_LOCKED,
    PAGE_500, TIMEOUT_PAGE, LIST_MODAL, EMPTY_LISTS, LIST_SHIFT,
    MARKUP_DRIFT, COLUMN_MOVED, DATE_FORMAT,
)
