"""寻医问药 store admin: reading a list page by page from the JSON its own page script receives.

Each list page loads `{code, msg, data: {records, total, size, current, pages}}` pages; the flow
chooses the largest page size in the page's own select, then clicks 下一页 until the last page,
reading each page's JSON (one request per page). Counts are reconciled twice: rows read against the
list's `total`, and against the dashboard counter of the same list. All of it invented [I].
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sweeper.errors import LayoutChanged, SessionExpired, SiteUnavailable
from sweeper.flow import FlowContext
from sweeper.models import Finding
from sweeper.page_turns import page_turn
from sweeper.pageops import goto, json_from, require
from sweeper.parsing import clean_text, integer

SITE = "寻医问药"
# The list pages' tables and pager are in the HTML itself: once their JSON has come, they are there
# or the layout changed. No need for the default 15 s.
SHELL_MS = 3_000
Action = Callable[[], Awaitable[Any]]
RowHandler = Callable[[FlowContext, dict[str, Any]], list[Finding]]


@dataclass(frozen=True)
class ListSpec:
    """One list of the sweep: its page (a [urls] name), API, table hook, dashboard counter and rows."""

    name: str
    url: str
    api: str
    table: str
    counter: str  # the [texts] name of the dashboard counter that counts the same rows
    key: str  # the JSON field that identifies a row
    handle: RowHandler


def text(ctx: FlowContext, name: str) -> str:
    return ctx.locators.text(name)[0]


def login_marker(ctx: FlowContext) -> str:
    return text(ctx, "login_path")


def _any_of(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


async def fetch_json(ctx: FlowContext, api: str, action: Action) -> Any:
    """`json_from`, telling an expired session from a broken site when no answer could be read."""
    try:
        return await json_from(ctx, api, action)
    except SiteUnavailable:
        words = ctx.page.get_by_text(_any_of(ctx.locators.text("expired")))
        expired = ctx.sel("list", "expired_dialog").or_(words)
        if login_marker(ctx) in ctx.page.url or await expired.first.is_visible():
            raise SessionExpired(f"{SITE}: 登录状态已过期 (sent back to the login page)") from None
        raise


def unwrap(ctx: FlowContext, body: Any, api: str) -> dict[str, Any]:
    """{code, msg, data} → data; code 401 / "登录状态已过期" is SessionExpired, other codes an error."""
    if not isinstance(body, dict):
        raise SiteUnavailable(f"{api}: the answer is not a {{code, msg, data}} envelope")
    code, message = clean_text(body.get("code")), clean_text(body.get("msg"))
    if code == text(ctx, "code_ok"):
        data = body.get("data")
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            return data
        raise SiteUnavailable(f"{api}: code {code} but no page of records")
    if code in ctx.locators.text("code_expired") or any(t in message for t in ctx.locators.text("expired")):
        raise SessionExpired(f"{SITE}: {message or 'session expired'} (code {code})")
    raise SiteUnavailable(f"{api}: code {code} {message}".strip())


async def read_counters(ctx: FlowContext) -> dict[str, int]:
    """The dashboard's counters by label ('待发货' → 37), from one evaluate over the cards."""
    cards = await require(ctx.sel("home", "counter"), "home.counter", timeout_ms=SHELL_MS)
    texts: list[str] = await cards.evaluate_all("(els) => els.map((el) => el.innerText)")
    counters: dict[str, int] = {}
    for card in texts:
        label = re.sub(r"[\d,\s¥.]+", "", card)
        number = integer(re.sub(r"[^\d]", "", card))
        if label and number.value is not None:
            counters[label] = number.value
    return counters


async def _largest_page_size(
    ctx: FlowContext, spec: ListSpec, first: dict[str, Any]
) -> dict[str, Any] | None:
    """Choose the largest page size the select offers (or the configured one); the reloaded page 1."""
    select = (await require(ctx.sel("list", "page_size"), "list.page_size", timeout_ms=SHELL_MS)).first
    values: list[str] = await select.evaluate("(el) => Array.from(el.options, (o) => o.value)")
    sizes = sorted(int(v) for v in values if v.strip().isdigit())
    if not sizes:
        raise LayoutChanged(["list.page_size (options)"], where=spec.name)
    wanted = ctx.options.page_size if ctx.options.page_size in sizes else sizes[-1]
    total, size = integer(first.get("total")).value, integer(first.get("size")).value
    if await select.input_value() == str(wanted) or (total is not None and size and total <= size):
        return None  # already there, or everything is on page 1: requests are what a sweep costs
    return unwrap(ctx, await fetch_json(ctx, spec.api, lambda: select.select_option(str(wanted))), spec.api)


async def read_list(ctx: FlowContext, spec: ListSpec, counters: dict[str, int]) -> None:
    """Every page of one list into the sink, from its first page to its last."""
    async def open_page() -> None:
        await goto(ctx, ctx.url(spec.url), login_marker=login_marker(ctx))

    data = unwrap(ctx, await fetch_json(ctx, spec.api, open_page), spec.api)
    await require(ctx.sel("list", spec.table), f"list.{spec.table}", timeout_ms=SHELL_MS)
    data = await _largest_page_size(ctx, spec, data) or data
    total = integer(data.get("total"))
    ctx.sink.open_list(spec.name, total.value, f"列表共{total.value}条" if total.ok else "")
    number = 1
    while True:
        if integer(data.get("current")).value != number:
            raise SiteUnavailable(f"{spec.api}: asked for page {number}, got page {data.get('current')}")
        rows = [r for r in data["records"] if isinstance(r, dict)]
        for row in ctx.sink.fresh_rows(spec.name, rows, lambda r: clean_text(r.get(spec.key))):
            for finding in spec.handle(ctx, row):
                ctx.sink.add(finding)
        pages = _pages(data)
        if not rows or pages is None or number >= pages:
            break
        number += 1
        next_button = ctx.sel("list", "next").first
        data = unwrap(ctx, await fetch_json(ctx, spec.api, page_turn(ctx, next_button)), spec.api)
    _reconcile(ctx, spec, total.value, counters)
    ctx.sink.close_list(spec.name)


def _pages(data: dict[str, Any]) -> int | None:
    """The page count the site states, else the one its total and page size imply."""
    pages, total, size = (integer(data.get(k)).value for k in ("pages", "total", "size"))
    if pages is not None:
        return pages
    return -(-total // size) if total is not None and size else None


def _reconcile(ctx: FlowContext, spec: ListSpec, total: int | None, counters: dict[str, int]) -> None:
    """When the list's total matches the rows, the dashboard counter must match them too."""
    tally = ctx.sink.lists[spec.name]
    label = text(ctx, spec.counter)
    counter = counters.get(label)
    if counter is None:
        ctx.log.warning("dashboard counter not found", counter=label, list=spec.name)
        return
    if total == tally.rows_read and counter != tally.rows_read:
        ctx.sink.expect(spec.name, counter, f"首页「{label}」{counter}，列表共{total}条")
