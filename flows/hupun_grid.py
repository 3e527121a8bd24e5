"""万里牛 business pages: they live in the shell's cross-origin iframe and load rows as JSON.

The flow drives them as a person does (the "more" toggle, Element-style selects whose dropdowns
sit at the iframe's body level, the hp-pager) and reads the JSON responses the iframe itself
receives: one request per page at the largest page size offered. A lost login shows up either as
an envelope code (the JSON) or as the shell leaving for /login (the iframe tells it to).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import FrameLocator, Locator
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper.errors import LayoutChanged, SessionExpired, SiteUnavailable
from sweeper.flow import FlowContext
from sweeper.page_turns import page_turn
from sweeper.pageops import goto, json_from, require
from sweeper.parsing import clean_text, integer

SITE = "万里牛"
LOAD_MS = 30_000
SHELL_MS = 3_000  # an element of a page whose JSON already came (it is in the HTML)
POLL_MS = 10_000  # the task panel's first poll
OPTION_MS = 3_000  # a dropdown opening
Action = Callable[[], Awaitable[Any]]
RowHandler = Callable[[dict[str, Any]], None]


def login_marker(ctx: FlowContext) -> str:
    return ctx.locators.text("login_path")[0]


def on_login(ctx: FlowContext) -> bool:
    return login_marker(ctx) in ctx.page.url


def expired() -> SessionExpired:
    return SessionExpired(f"{SITE}: 登录已失效 (the site asked to log in again)")


def described(ctx: FlowContext, page: str, name: str) -> str:
    """How a LayoutChanged names an element: its selectors-file entry and what that entry looks for."""
    return f"{page}.{name} ({ctx.locators.selector(page, name).describe()})"


async def need(ctx: FlowContext, page: str, name: str, *, timeout_ms: float = 15_000) -> Locator:
    """The first element of a selectors entry, once visible (else LayoutChanged naming the entry)."""
    return (await require(ctx.sel(page, name), described(ctx, page, name), timeout_ms=timeout_ms)).first


def exact(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


async def json_or_login(ctx: FlowContext, api: str, action: Action, *, timeout_ms: float = LOAD_MS) -> Any:
    """`json_from`, raced against the shell leaving for its login page.

    A business page that finds its login gone may never send the request we wait for: it shows a
    message and the shell goes to /login. Whichever comes first decides.
    """
    marker = login_marker(ctx)
    answer = asyncio.ensure_future(json_from(ctx, api, action, timeout_ms=timeout_ms))
    left = asyncio.ensure_future(
        ctx.page.wait_for_url(lambda url: marker in url, wait_until="commit", timeout=timeout_ms)
    )
    try:
        await asyncio.wait({answer, left}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (answer, left):
            task.cancel()
        await asyncio.gather(answer, left, return_exceptions=True)
    if answer.done() and not answer.cancelled() and answer.exception() is None:
        return answer.result()
    if on_login(ctx):
        raise expired()
    failure = answer.exception() if answer.done() and not answer.cancelled() else None
    raise failure or SiteUnavailable(f"{api}: no answer within {timeout_ms / 1000:.0f} s")


def envelope(ctx: FlowContext, body: Any, api: str) -> dict[str, Any]:
    """Unwrap {code, message, data}: code 0 is the data; a login code is SessionExpired."""
    if not isinstance(body, dict):
        raise SiteUnavailable(f"{api}: the answer is not a {{code, message, data}} envelope")
    code, message = str(body.get("code")), clean_text(body.get("message"))
    if code == ctx.locators.text("envelope_ok")[0]:
        data = body.get("data")
        return data if isinstance(data, dict) else {}
    if code in ctx.locators.text("session_expired_codes"):
        raise expired()
    raise SiteUnavailable(f"{api}: code {code} {message}")


def _row_key(row: dict[str, Any]) -> str:
    return clean_text(row.get("uid")) or clean_text(row.get("tradeNo"))


class Grid:
    """One business page (a vxe grid + hp-pager) inside the shell's iframe."""

    def __init__(self, ctx: FlowContext, api: str, table: str) -> None:
        self.ctx = ctx
        self.api = api
        self.table = table
        self.frame: FrameLocator = ctx.sel("frame", "iframe").content_frame

    def sel(self, name: str) -> Locator:
        return self.ctx.sel("biz", name, self.frame)

    async def need(self, name: str, timeout_ms: float = SHELL_MS) -> Locator:
        """An element the selectors promise; missing because the login went away is SessionExpired."""
        try:
            what = described(self.ctx, "biz", name)
            return (await require(self.sel(name), what, timeout_ms=timeout_ms)).first
        except LayoutChanged:
            if on_login(self.ctx):
                raise expired() from None
            raise

    async def open(self, url_name: str) -> None:
        """Open the shell frame; the iframe's own first query proves the login holds there too."""
        ctx = self.ctx
        marker = login_marker(ctx)
        body = await json_or_login(ctx, self.api, lambda: goto(ctx, ctx.url(url_name), login_marker=marker))
        envelope(ctx, body, self.api)
        await self.need(self.table)

    async def open_more(self) -> None:
        more = await self.need("more")
        if "opened" not in (await more.get_attribute("class") or "").split():
            await more.click()
        await self.need("more_box", OPTION_MS)

    async def choose(self, select: Locator, text: str, what: str) -> None:
        """Pick `text` in an Element select: its dropdown opens at the body level of the iframe."""
        await select.click()
        option = self.sel("dropdown_item").filter(visible=True).filter(has_text=exact(text)).first
        try:
            await option.wait_for(state="visible", timeout=OPTION_MS)
        except PlaywrightTimeout:
            raise LayoutChanged([f"biz.{what} option {text!r}"]) from None
        await option.click()

    async def largest_page_size(self) -> int:
        """Choose the largest rows-per-page the pager offers (or the configured one, if offered)."""
        select = await self.need("page_size")
        await select.click()
        items = self.sel("dropdown_item").filter(visible=True)
        try:
            await items.first.wait_for(state="visible", timeout=OPTION_MS)
        except PlaywrightTimeout:
            raise LayoutChanged(["biz.page_size options"]) from None
        sizes = sorted(int(t.strip()) for t in await items.all_inner_texts() if t.strip().isdigit())
        if not sizes:
            raise LayoutChanged(["biz.page_size options"])
        wanted = self.ctx.options.page_size if self.ctx.options.page_size in sizes else sizes[-1]
        await items.filter(has_text=exact(str(wanted))).first.click()
        return wanted

    async def query(self) -> Any:
        query = await self.need("query")
        return await json_or_login(self.ctx, self.api, query.click)

    async def read_all(self, name: str, note: str, first: Any, handle: RowHandler) -> None:
        """Every page from the first JSON to the last; rows keyed by their row id (no duplicates)."""
        ctx, body, number = self.ctx, first, 1
        while True:
            data = envelope(ctx, body, self.api)
            raw = data.get("list")
            rows = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
            total = integer(data.get("total"))
            if number == 1:
                ctx.sink.open_list(name, total.value, note.replace("N", str(total.value)))
            for row in ctx.sink.fresh_rows(name, rows, _row_key):
                handle(row)
            limit = integer(data.get("limit")).value or len(rows)
            # The pager disables 下一页 exactly when page × limit reaches the total: the answer says
            # so without a look at the button (three round trips a page, on 1,000-row pages).
            if not rows or total.value is None or number * limit >= total.value:
                break
            if number == 1:
                await self._pager_shows(number)  # drawn with the rows: missing means the layout changed
            number += 1
            body = await json_or_login(ctx, self.api, page_turn(ctx, self.sel("next").first))
        ctx.sink.close_list(name)

    async def _pager_shows(self, number: int) -> None:
        """The grid shows page `number` and its pager has a 下一页 (else the layout changed)."""
        shown = self.sel("pager_current").filter(has_text=re.compile(rf"^\s*{number}\s*/"))
        await require(shown, described(self.ctx, "biz", "pager_current"), timeout_ms=SHELL_MS)
        await self.need("next")

    # -- the 系统任务 panel (WMS page) ---------------------------------------------------------------

    async def settle_tasks(self, wait_s: float) -> list[str]:
        """Wait (bounded) until no system task is 处理中; the task numbers still running at the bound."""
        await self.need("task_panel")
        await self.need("task_loaded", POLL_MS)
        running = self.sel("task_running")
        try:
            await running.first.wait_for(state="hidden", timeout=wait_s * 1000)
            return []
        except PlaywrightTimeout:
            if on_login(self.ctx):
                raise expired() from None
        numbers: list[str] = await running.evaluate_all("(els) => els.map((e) => e.dataset.taskNo || '')")
        return numbers

    async def close_tasks(self) -> None:
        """The panel floats over the pager: close it as a person would (head's second div)."""
        close = self.sel("task_close").first
        if await close.is_visible():
            await close.click()
            await self.sel("task_panel").first.wait_for(state="hidden", timeout=SHELL_MS)
