"""Reading an ASP.NET WebForms GridView list to its end, the way a person pages it.

Every step that changes the list is a postback: the page's own control (a DropDownList with
AutoPostBack, a pager link `javascript:__doPostBack('…','Page$N')`) re-POSTs the whole form with its
`__VIEWSTATE` and the server answers with a new document at the same URL. So the flow clicks the
control and waits for that navigation; it never builds a URL or a form itself.
"""

from __future__ import annotations

import json
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
CELLS_SCRIPT = "(tr) => ({cells: Array.from(tr.cells, (c) => c.innerText)})"

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
    return _count_of(ctx, spec, clean_text(await label.first.inner_text()))


def _count_of(ctx: FlowContext, spec: GridList, shown: str) -> RecordCount:
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


async def next_page(ctx: FlowContext, spec: GridList, number: int, shown: Shown) -> None:
    """Click the pager link whose postback asks for page `number`."""
    links = ctx.sel("list", "pager_links", ctx.sel(spec.page, "grid"))
    hrefs = shown.hrefs
    if hrefs is None:
        hrefs = await links.evaluate_all("(els) => els.map((a) => a.getAttribute('href') || '')")
    wanted = text(ctx, "pager_argument").format(n=number)
    index = next((i for i, href in enumerate(hrefs) if wanted in href), None)
    if index is None:
        raise LayoutChanged([f"list.pager_links (no link to page {number})"], where=spec.name)
    turn = pageops.page_turn(ctx, links.nth(index))
    await postback(ctx, turn, f"{spec.name} page {number}", look=shown.hrefs is None)


@dataclass(frozen=True)
class Shown:
    """One page of a grid: its record-count label, its rows' cells and its pager links (when read)."""

    count: RecordCount
    rows: list[dict[str, Any]]
    hrefs: list[str] | None = None


def page_script(ctx: FlowContext, spec: GridList) -> str | None:
    """One evaluate for label, rows and pager links, when the selectors file gives them in plain CSS."""
    parts = {"grid": pageops.plain_css(ctx, spec.page, "grid"),
             "rows": pageops.plain_css(ctx, "list", "rows"),
             "links": pageops.plain_css(ctx, "list", "pager_links"),
             "label": pageops.plain_css(ctx, "list", "record_count")}
    if None in parts.values():
        return None
    return (f"() => {{ const q = {json.dumps(parts)}; const grid = document.querySelector(q.grid);"
            " const label = document.querySelector(q.label);"
            " const all = (css) => (grid ? Array.from(grid.querySelectorAll(css)) : []);"
            f" return {{label: label ? label.innerText : null, rows: all(q.rows).map({CELLS_SCRIPT}),"
            " hrefs: all(q.links).map((a) => a.getAttribute('href') || '')}; }")


async def shown_page(ctx: FlowContext, spec: GridList, script: str | None) -> Shown:
    """What the grid shows now: one evaluate, or one call each (no script). A page without the
    record-count label is the yellow error page (SiteUnavailable) or a moved layout."""
    if script is None:
        count = await record_count(ctx, spec)
        rows = await pageops.table_rows(ctx.sel("list", "rows", ctx.sel(spec.page, "grid")), CELLS_SCRIPT)
        return Shown(count, rows)
    data: dict[str, Any] = await pageops.evaluate_json(ctx.page, script)
    if data["label"] is None:
        await check_page(ctx, None, spec.name)
        raise LayoutChanged(["list.record_count"], where=spec.name)
    return Shown(_count_of(ctx, spec, clean_text(data["label"])), data["rows"], data["hrefs"])


def _named_cells(raw: dict[str, Any], columns: dict[str, int]) -> dict[str, str]:
    """A row's cells by column key; a column the row lacks reads as empty."""
    cells: list[str] = raw.get("cells") or []
    return {key: clean_text(cells[i]) if i < len(cells) else "" for key, i in columns.items()}


async def read_list(ctx: FlowContext, spec: GridList) -> None:
    """Open the list, filter it, take the largest page size, then read every page into the sink."""
    ctx.sink.open_list(spec.name)
    await load(ctx, ctx.url(spec.page), spec.name)
    await pageops.require(ctx.sel(spec.page, "grid"), f"{spec.page}.grid", timeout_ms=PRESENT_MS)
    await choose_status(ctx, spec)
    script = page_script(ctx, spec)
    count = await record_count(ctx, spec)
    await choose_page_size(ctx, spec, count)
    shown = await shown_page(ctx, spec, script)
    ctx.sink.expect(spec.name, shown.count.total, "「共 N 条记录」")
    columns: dict[str, int] | None = None
    number = 1
    while True:
        count, rows = shown.count, shown.rows
        if count.page != number:
            raise SiteUnavailable(f"{spec.name}: asked for page {number}, the site shows page {count.page}")
        if rows and columns is None:
            columns = await column_map(ctx, spec)
        if number == 1 and count.total and not rows:
            raise LayoutChanged(["list.rows"], where=spec.name)
        named = [_named_cells(raw, columns or {}) for raw in rows]
        for row in ctx.sink.fresh_rows(spec.name, named, lambda r: r.get(spec.key_column) or ""):
            for finding in spec.handler(ctx, row):
                ctx.sink.add(finding)
        if number >= count.pages or not rows:
            break
        number += 1
        await next_page(ctx, spec, number, shown)
        shown = await shown_page(ctx, spec, script)
    ctx.sink.close_list(spec.name)
