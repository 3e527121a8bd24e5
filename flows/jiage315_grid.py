"""An ASP.NET WebForms GridView page's controls, worked the way a person works them.

Every step that changes the list is a postback: the page's own control (a DropDownList with
AutoPostBack, a pager link `javascript:__doPostBack('…','Page$N')`) re-POSTs the whole form with its
`__VIEWSTATE` and the server answers with a new document at the same URL. So the flow works the
control and waits for that navigation. Reading a list page by page: flows/jiage315_pages.py.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper import pageops
from sweeper.errors import LayoutChanged, SessionExpired, SiteUnavailable
from sweeper.flow import FlowContext
from sweeper.models import Finding
from sweeper.parsing import clean_text

PRESENT_MS = 5_000  # server-rendered, so normally at once; the margin is for a loaded 2-core machine

Row = Mapping[str, str]  # column key ([texts] name) -> cell text
Handler = Callable[[FlowContext, Row], list[Finding]]


@dataclass(frozen=True)
class GridList:
    """One list to read: its page, the status option to choose and the columns a handler needs."""

    name: str  # the tally's name
    page: str  # the [urls] entry and the [selectors.<page>] table
    status_option: str  # [texts] name of the status DropDownList option
    key_column: str  # the column that identifies a row (rows seen twice are counted once)
    columns: tuple[str, ...]
    handler: Handler


@dataclass(frozen=True)
class RecordCount:
    total: int
    page: int
    pages: int


def text(ctx: FlowContext, name: str) -> str:
    return ctx.locators.text(name)[0]


def on_login_page(ctx: FlowContext) -> bool:
    return text(ctx, "login_path").lower() in ctx.page.url.lower()  # IIS paths ignore case


async def check_page(
    ctx: FlowContext, response: Response | None, what: str, *, login_ok: bool = False, look: bool = True
) -> None:
    """Sent to Login.aspx: SessionExpired. HTTP 5xx or the yellow ASP.NET page: SiteUnavailable.

    `look=False` leaves the yellow page to the caller (a list page missing its label is one)."""
    if not login_ok and on_login_page(ctx):
        raise SessionExpired(f"{ctx.locators.site.name}: the site asked to log in again ({what})")
    status = response.status if response is not None else 200
    # The yellow page is also sent with HTTP 200 by some sites.
    yellow = (look or status >= 500) and await ctx.sel("common", "server_error").count() > 0
    if status >= 500 or yellow:
        message = ctx.sel("common", "error_message")
        detail = clean_text(await message.first.inner_text(), 160) if yellow and await message.count() else ""
        kind = "ASP.NET error page" if yellow else "server error"
        raise SiteUnavailable(f"{what}: HTTP {status}, {kind}{': ' + detail if detail else ''}")


async def load(ctx: FlowContext, url: str, what: str, *, login_ok: bool = False) -> None:
    """Open a page by its URL (only ever a page's first view: everything after is a postback)."""
    try:
        response = await ctx.page.goto(url, wait_until="domcontentloaded")
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(f"{what}: timed out opening the page") from exc
    except PlaywrightError as exc:
        raise SiteUnavailable(f"{what}: could not open the page: {exc.message.splitlines()[0]}") from exc
    await check_page(ctx, response, what, login_ok=login_ok)


async def postback(ctx: FlowContext, action: Callable[[], Awaitable[Any]], what: str, *,
                   login_ok: bool = False, look: bool = True) -> None:
    """Do what causes a postback and wait for the document it brings."""
    try:
        async with ctx.page.expect_navigation(wait_until="domcontentloaded") as navigation:
            await action()
        response = await navigation.value
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(f"{what}: no answer to the postback") from exc
    await check_page(ctx, response, what, login_ok=login_ok, look=look)


async def record_count(ctx: FlowContext, spec: GridList) -> RecordCount:
    label = await pageops.require(ctx.sel("list", "record_count"), "list.record_count", timeout_ms=PRESENT_MS)
    return count_of(ctx, spec, clean_text(await label.first.inner_text()))


def count_of(ctx: FlowContext, spec: GridList, shown: str) -> RecordCount:
    match = re.search(text(ctx, "record_count"), shown)
    if match is None:
        raise LayoutChanged([f"texts.record_count (label reads {shown[:40]!r})"], where=spec.name)
    return RecordCount(int(match["total"]), int(match["page"]), int(match["pages"]))


async def choose_status(ctx: FlowContext, spec: GridList) -> None:
    found = await pageops.require(ctx.sel(spec.page, "status"), f"{spec.page}.status", timeout_ms=PRESENT_MS)
    select, wanted = found.first, text(ctx, spec.status_option)
    options: list[list[Any]] = await select.evaluate(
        "(s) => Array.from(s.options, (o) => [o.value, o.text.trim(), o.selected])"
    )
    option = next((o for o in options if o[1] == wanted), None)
    if option is None:
        raise LayoutChanged([f"texts.{spec.status_option} (no option {wanted!r})"], where=spec.name)
    if not option[2]:
        value = str(option[0])
        await postback(ctx, lambda: select.select_option(value=value), f"{spec.name}: 状态「{wanted}」")


async def choose_page_size(ctx: FlowContext, spec: GridList, count: RecordCount) -> bool:
    """Pick the largest page size offered (or the configured one); False when no postback was needed."""
    found = await pageops.require(ctx.sel("list", "page_size"), "list.page_size", timeout_ms=PRESENT_MS)
    select = found.first
    values: list[str] = await select.evaluate("(s) => Array.from(s.options, (o) => o.value)")
    sizes = sorted(int(v) for v in values if v.strip().isdigit())
    if not sizes:
        raise LayoutChanged(["list.page_size (options)"], where=spec.name)
    wanted = ctx.options.page_size if ctx.options.page_size in sizes else sizes[-1]
    if count.pages <= 1 or await select.input_value() == str(wanted):
        return False  # requests are what a sweep costs: a list on one page is not reloaded
    await postback(ctx, lambda: select.select_option(str(wanted)), f"{spec.name}: 每页 {wanted} 条")
    return True


async def column_map(ctx: FlowContext, spec: GridList) -> dict[str, int]:
    grid = ctx.sel(spec.page, "grid")
    titles: list[str] = await ctx.sel("list", "column_titles", grid).evaluate_all(
        "(els) => els.map((el) => el.innerText.trim())"
    )
    found: dict[str, int] = {}
    for key in spec.columns:
        names = ctx.locators.text(key)
        index = next((i for i, title in enumerate(titles) if title in names), None)
        if index is None:
            raise LayoutChanged([f"texts.{key} (column {names[0]!r})"], where=spec.name)
        found[key] = index
    return found
