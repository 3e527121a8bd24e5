"""Reading a 315 GridView list to its end, page by page, at the largest page size.

The first page is opened and read on screen. With `fetch_list_pages` (the default) each page after
it is the postback page N-1's pager link would send (that page's form as it stands, with the
link's event), posted from inside the page and read unrendered (sweeper.unrendered): ASP.NET
checks the view state and the event as for a click. An answer that is not page N of the same grid
is opened for real instead, from the form of the last page read, so the checks and the evidence
see what a person would. Otherwise every page is a click on its pager link (flows/jiage315_grid.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flows.jiage315_grid import (
    PRESENT_MS,
    GridList,
    RecordCount,
    check_page,
    choose_page_size,
    choose_status,
    column_map,
    count_of,
    load,
    postback,
    record_count,
    text,
)
from sweeper import pageops
from sweeper.errors import LayoutChanged, SiteUnavailable
from sweeper.flow import FlowContext
from sweeper.page_turns import page_turn
from sweeper.parsing import clean_text
from sweeper.unrendered import post_fields_and_read, read_on_screen, reader_of_document

CELLS_SCRIPT = "(tr) => ({cells: Array.from(tr.cells, (c) => c.innerText)})"
# The event a pager link raises: ASP.NET renders it as javascript:__doPostBack('<target>','<argument>').
_POSTBACK_HREF = re.compile(r"__doPostBack\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)")


async def next_page(ctx: FlowContext, spec: GridList, number: int, shown: Shown) -> None:
    """Open page `number` for real: click its pager link, or, when `shown` (page N-1) was fetched and
    the screen still shows an earlier page, post the form `shown` carried with that link's event
    the way the link would (the site's own `__doPostBack`)."""
    if shown.fetched:
        await _post_back_from(ctx, spec, number, shown)
        return
    links = ctx.sel("list", "pager_links", ctx.sel(spec.page, "grid"))
    hrefs = shown.hrefs
    if hrefs is None:
        hrefs = await links.evaluate_all("(els) => els.map((a) => a.getAttribute('href') || '')")
    index = _link_to(ctx, number, hrefs)
    if index is None:
        raise LayoutChanged([f"list.pager_links (no link to page {number})"], where=spec.name)
    turn = page_turn(ctx, links.nth(index))
    await postback(ctx, turn, f"{spec.name} page {number}", look=shown.hrefs is None)


@dataclass(frozen=True)
class Shown:
    """One page of a grid: its record-count label, its rows' cells, and (when read in one script)
    its column titles, pager links and form fields as a postback would send them."""

    count: RecordCount
    rows: list[dict[str, Any]]
    hrefs: list[str] | None = None
    titles: list[str] | None = None
    form: list[list[str]] | None = None
    action: str | None = None
    fetched: bool = False  # read from a fetched answer: the screen still shows an earlier page


def _link_to(ctx: FlowContext, number: int, hrefs: list[str]) -> int | None:
    """Which of the pager's links (their hrefs) asks for page `number`."""
    wanted = text(ctx, "pager_argument").format(n=number)
    return next((i for i, href in enumerate(hrefs) if wanted in href), None)


def _pager_event(ctx: FlowContext, number: int, shown: Shown) -> tuple[str, str] | None:
    """(event target, argument) of `shown`'s pager link to page `number`."""
    hrefs = shown.hrefs or []
    index = _link_to(ctx, number, hrefs)
    match = None if index is None else _POSTBACK_HREF.search(hrefs[index])
    return (match[1], match[2]) if match else None


def _with_event(form: list[list[str]], event: tuple[str, str]) -> list[list[str]]:
    """The form's fields as `__doPostBack(target, argument)` would post them."""
    values = {"__EVENTTARGET": event[0], "__EVENTARGUMENT": event[1]}
    fields = [[name, values.pop(name, value)] for name, value in form]
    return fields + [[name, value] for name, value in values.items()]


async def _post_back_from(ctx: FlowContext, spec: GridList, number: int, shown: Shown) -> None:
    event = _pager_event(ctx, number, shown)
    form_css = pageops.plain_css(ctx, "list", "form")
    if event is None or shown.form is None or form_css is None:
        raise LayoutChanged([f"list.pager_links (no link to page {number})"], where=spec.name)
    hidden = [[name, value] for name, value in shown.form if name.startswith("__")]
    script = (
        "([css, hidden, target, argument]) => { const form = document.querySelector(css);"
        " for (const [name, value] of hidden) { const input = form.elements.namedItem(name);"
        " if (input) input.value = value; }"
        " if (typeof __doPostBack === 'function') { __doPostBack(target, argument); return; }"
        " form.__EVENTTARGET.value = target; form.__EVENTARGUMENT.value = argument; form.submit(); }"
    )
    await postback(ctx, lambda: ctx.page.evaluate(script, [form_css, hidden, *event]),
                   f"{spec.name} page {number}")


def page_script(ctx: FlowContext, spec: GridList) -> str | None:
    """One evaluate for label, rows, column titles, pager links and the form as it would be posted,
    when the selectors file gives them in plain CSS; it reads the page on screen or a fetched one."""
    parts = {"grid": pageops.plain_css(ctx, spec.page, "grid"),
             "rows": pageops.plain_css(ctx, "list", "rows"),
             "links": pageops.plain_css(ctx, "list", "pager_links"),
             "titles": pageops.plain_css(ctx, "list", "column_titles"),
             "label": pageops.plain_css(ctx, "list", "record_count"),
             "form": pageops.plain_css(ctx, "list", "form")}
    if None in parts.values():
        return None
    return reader_of_document(
        f"const q = {json.dumps(parts)}; const one = (css) => doc.querySelector(css);"
        " const grid = one(q.grid), label = one(q.label), form = one(q.form);"
        " const all = (css) => (grid ? Array.from(grid.querySelectorAll(css)) : []);"
        f" return {{label: label ? label.innerText : null, rows: all(q.rows).map({CELLS_SCRIPT}),"
        " titles: all(q.titles).map((th) => th.innerText.trim()),"
        " hrefs: all(q.links).map((a) => a.getAttribute('href') || ''),"
        " form: form ? Array.from(new FormData(form), ([k, v]) => [k, String(v)]) : null,"
        " action: form ? form.action : null};"
    )


async def shown_page(ctx: FlowContext, spec: GridList, script: str | None) -> Shown:
    """What the grid shows now: one evaluate, or one call each (no script). A page without the
    record-count label is the yellow error page (SiteUnavailable) or a moved layout."""
    if script is None:
        count = await record_count(ctx, spec)
        rows = await pageops.table_rows(ctx.sel("list", "rows", ctx.sel(spec.page, "grid")), CELLS_SCRIPT)
        return Shown(count, rows)
    data: dict[str, Any] = await read_on_screen(ctx, script)
    if data["label"] is None:
        await check_page(ctx, None, spec.name)
        raise LayoutChanged(["list.record_count"], where=spec.name)
    return _shown(data, count_of(ctx, spec, clean_text(data["label"])), fetched=False)


def _shown(data: dict[str, Any], count: RecordCount, *, fetched: bool) -> Shown:
    """A grid page as the page script read it, on screen or fetched."""
    return Shown(count, data["rows"], data["hrefs"], data["titles"], data["form"], data["action"], fetched)


async def fetched_page(
    ctx: FlowContext, spec: GridList, number: int, last: Shown, script: str | None
) -> Shown | None:
    """Page `number` as the postback of `last`'s pager link, fetched and read unrendered; None when
    that cannot be, or the answer is not page `number` of the same grid (it is then opened for real)."""
    event = _pager_event(ctx, number, last)
    if not (ctx.options.fetch_list_pages and script and event and last.form and last.action):
        return None
    fields = _with_event(last.form, event)
    data = await post_fields_and_read(ctx, script, last.action, fields, login_marker=text(ctx, "login_path"))
    # The label, the same columns, rows, and a form to post the next page from, or it is opened.
    if not data or data.get("label") is None or data.get("titles") != last.titles or not data.get("rows") \
            or not data.get("form"):
        return None
    try:
        count = count_of(ctx, spec, clean_text(data["label"]))
    except LayoutChanged:
        return None  # opened for real, where the same reading names it
    return _shown(data, count, fetched=True) if count.page == number else None


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
        fetched = await fetched_page(ctx, spec, number, shown, script)
        if fetched is None:
            await next_page(ctx, spec, number, shown)
        shown = fetched or await shown_page(ctx, spec, script)
    ctx.sink.close_list(spec.name)
