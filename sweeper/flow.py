"""What a flow is, and the one frozen context it gets.

A flow module (`flows/<key>.py`) holds site knowledge only and exposes `FLOW`, an object with:

    key        the platform key, also the selectors file name
    required   the selectors-file entries it uses, checked before a browser opens
    open(ctx)                    go to the logged-in home; raise SessionExpired if sent to login
    login(ctx, creds, human)     fill the login form; with `human` None, raise LoginChallenge as
                                 soon as the site wants a human, else wait for one (bounded)
    collect(ctx)                 read every list to its end into `ctx.sink`

A flow never reads the environment, the keyring or the clock: everything arrives in the context.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from playwright.async_api import FrameLocator, Locator, Page
from pydantic import BaseModel, ConfigDict, SecretStr

from sweeper.locators import Locators
from sweeper.models import FactKind, Finding, ListTally, OrderFact

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Credentials(BaseModel):
    """A login taken from the OS keyring. The password never prints."""

    model_config = ConfigDict(frozen=True)

    username: str
    password: SecretStr


@dataclass(frozen=True)
class HumanWait:
    """Present when a person is at a headed window and the flow may wait for them."""

    timeout_s: float
    tell: Callable[[str], None]


@dataclass(frozen=True)
class FlowOptions:
    """The settings slice a flow may read (thresholds, page sizes)."""

    ship_due_soon: timedelta = timedelta(hours=12)
    aftersale_due_soon: timedelta = timedelta(hours=24)
    page_size: int | None = None
    lists_in_parallel: int = 1  # tabs reading a platform's lists side by side (sweeper.side_by_side)
    fast_page_turns: bool = True  # next-page clicks as DOM click events (sweeper.pageops.page_turn)
    fetch_list_pages: bool = True  # server-rendered pages after the first, not rendered (sweeper.unrendered)
    action_timeout_s: float = 20.0  # what the context's actions wait, for waits a flow times itself
    extra: Mapping[str, Any] = field(default_factory=dict)


R = TypeVar("R")

DEFAULT_LISTS_IN_PARALLEL = 3


def lists_in_parallel(flow: object, chosen: int | None) -> int:
    """The tabs a platform reads its lists in: the setting when set, else the number the flow asks
    for with a `lists_in_parallel` attribute (拼多多: one tab per list), else 3."""
    if chosen is not None:
        return chosen
    own = getattr(flow, "lists_in_parallel", DEFAULT_LISTS_IN_PARALLEL)
    return own if isinstance(own, int) and own >= 1 else DEFAULT_LISTS_IN_PARALLEL


class Sink:
    """Where a flow puts what it reads, page by page, so a later failure loses nothing."""

    def __init__(self, platform: str = "", account: str = "") -> None:
        self.findings: list[Finding] = []
        self.lists: dict[str, ListTally] = {}
        self.facts: list[OrderFact] = []
        self._platform = platform
        self._account = account
        self._keys: dict[str, set[str]] = {}  # per list: the row keys already kept
        self.opened: list[str] = []  # lists in the order this sink (or view) first touched them

    def view(self) -> Sink:
        """A sink writing into this one that notes, in `opened`, the lists it touches: the lists
        read side by side are put back in the order of their jobs (sweeper.side_by_side)."""
        view = Sink(self._platform, self._account)
        view.findings, view.lists, view.facts, view._keys = self.findings, self.lists, self.facts, self._keys
        return view

    def order_lists(self, names: Sequence[str]) -> None:
        """Put `names` first, in that order; the other lists keep theirs after them."""
        ordered = {name: self.lists[name] for name in names if name in self.lists}
        rest = {name: tally for name, tally in self.lists.items() if name not in ordered}
        self.lists.clear()
        self.lists.update({**ordered, **rest})

    def _touch(self, name: str) -> None:
        if name not in self.opened:
            self.opened.append(name)

    def fact(self, kind: FactKind, order_no: str, *, source: str = "", **fields: str) -> None:
        """Keep an order's state for the cross-checks (not a finding: nothing to act on by itself)."""
        self.facts.append(
            OrderFact(
                platform=self._platform, account=self._account, kind=kind,
                order_no=order_no, source=source, fields=fields,
            )
        )

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def open_list(self, name: str, expected: int | None = None, source: str = "") -> ListTally:
        self._touch(name)
        tally = self.lists.setdefault(name, ListTally(name=name))
        if expected is not None:
            self.expect(name, expected, source)
        return tally

    def expect(self, name: str, expected: int, source: str) -> None:
        """Record the platform's own count for a list (a home counter or the list's total)."""
        self._touch(name)
        tally = self.lists.setdefault(name, ListTally(name=name))
        tally.expected = expected
        tally.note = source

    def page_read(self, name: str, rows_read: int, rows_kept: int | None = None) -> None:
        tally = self.lists[name]
        tally.pages += 1
        tally.rows_read += rows_read
        tally.rows_kept += rows_read if rows_kept is None else rows_kept

    def fresh_rows(self, name: str, rows: Sequence[R], key: Callable[[R], str]) -> list[R]:
        """Record one page of list `name`; return its rows not yet kept from an earlier page.

        A list that changes while it is paged repeats a row on the next page: it is counted as read,
        kept once. A row without a key (`key` gives "") is always kept.
        """
        keys = self._keys.setdefault(name, set())
        fresh = []
        for row in rows:
            row_key = key(row)
            if row_key and row_key in keys:
                continue
            keys.add(row_key)
            fresh.append(row)
        self.page_read(name, len(rows), len(fresh))
        return fresh

    def close_list(self, name: str) -> None:
        """The list was read to its last page."""
        self.lists[name].complete = True


@dataclass(frozen=True)
class FlowContext:
    """Everything a flow may use. Frozen: a flow cannot swap its page, clock or settings."""

    platform: str
    account: str
    page: Page
    locators: Locators
    base_url: str
    now: datetime
    options: FlowOptions
    sink: Sink
    log: Any
    tz: ZoneInfo = SHANGHAI

    def url(self, name: str, **params: str | int) -> str:
        path = self.locators.urls[name]
        query = urlencode(params)
        sep = "&" if "?" in path else "?"
        return f"{self.base_url.rstrip('/')}{path}{sep + query if query else ''}"

    def link(self, name: str, **fields: str | int) -> str:
        """A deep link from a URL template such as '/orders/detail?sn={order_sn}'."""
        path = self.locators.urls[name].format(**{k: quote(str(v), safe="") for k, v in fields.items()})
        return f"{self.base_url.rstrip('/')}{path}"

    def sel(self, page: str, name: str, root: Page | Locator | FrameLocator | None = None) -> Locator:
        return self.locators.selector(page, name).resolve(root if root is not None else self.page)

    def api_matcher(self, name: str) -> Callable[[Any], bool]:
        """A predicate for `page.expect_response` matching one API path of this site."""
        fragment = self.locators.api[name]
        return lambda response: fragment in response.url


class Flow(Protocol):
    key: str
    required: Mapping[str, Sequence[str]]

    def open(self, ctx: FlowContext) -> Awaitable[None]: ...

    def login(
        self, ctx: FlowContext, creds: Credentials, human: HumanWait | None
    ) -> Awaitable[None]: ...

    def collect(self, ctx: FlowContext) -> Awaitable[None]: ...


def discover_flows() -> dict[str, Flow]:
    """Every `FLOW` in the `flows` package, by key. The engine never names a platform."""
    import flows

    found: dict[str, Flow] = {}
    for info in pkgutil.iter_modules(flows.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"flows.{info.name}")
        flow = getattr(module, "FLOW", None)
        if flow is not None:
            found[flow.key] = flow
    return dict(sorted(found.items()))
