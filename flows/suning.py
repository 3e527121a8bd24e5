"""苏宁易购商家后台: mpassport login (slider / SMS step), then MOMS's server-rendered lists.

Every list is a Struts page whose paging is a full-page form POST (`jumpPage(...)`); the flow sets
the largest page size, reads each page's rows in one evaluate call and reconciles the rows read with
the tab's own counter ("未发货：N", "待审核(N)"). Pages after the first are posted with the pager's
own form and parsed unrendered (sweeper.unrendered) while `a.next` says there is one; a page that
is not the list is opened for real, for the checks and the evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper import pageops
from sweeper.errors import (
    AccountLocked,
    ConfigError,
    LayoutChanged,
    LoginChallenge,
    LoginRejected,
    SessionExpired,
    SiteUnavailable,
)
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FactKind, Finding
from sweeper.page_turns import page_turn
from sweeper.parsing import FindingDraft, clean_text, countdown, local_datetime, yuan
from sweeper.popups import close_whenever
from sweeper.side_by_side import each, side_by_side
from sweeper.unrendered import js, post_form_and_read, read_on_screen, reader_of_document

Row = dict[str, str | None]
ORDER_CELLS = ("order_no", "order_time", "promise_time", "remain_time", "pay_type", "rx_tag", "goods",
               "qty", "amount", "buyer", "phone", "status", "memo")
AFTERSALE_CELLS = ("service_no", "order_no", "apply_time", "kind", "goods", "amount", "buyer", "reason",
                   "status", "remaining")
COMPLAINT_CELLS = ("complaint_no", "order_no", "kind", "content", "buyer", "created", "deadline", "status")
PRESCRIPTION_CELLS = ("rx_no", "order_no", "drug", "patient", "hospital", "doctor", "submitted", "status")
LOGIN_WAIT_MS = 30_000


@dataclass(frozen=True)
class ListSpec:
    """One MOMS list: where it is, which markup it uses, and what a row means."""

    name: str
    url: str
    page: str  # "orders" or "tables": container, count and row selectors
    cells: str
    key_cell: str
    to_finding: Callable[[FlowContext, Row], Finding | None]


def _draft(ctx: FlowContext, category: Category, number: str) -> FindingDraft:
    return FindingDraft(ctx.platform, ctx.account, category, number)


def _text(row: Row, cell: str) -> str:
    return clean_text(row.get(cell))


def _order_no(ctx: FlowContext, row: Row) -> str:
    """'订单号：30001234567' (full-width colon) -> '30001234567'."""
    text = _text(row, "order_no")
    for label in ctx.locators.text("order_no_label"):
        text = re.sub(rf"^\s*{re.escape(label)}\s*[：:]\s*", "", text)
    return text


def _customer(row: Row) -> str:
    return " ".join(p for p in (_text(row, "buyer"), _text(row, "phone")) if p)


def _is_cod(ctx: FlowContext, row: Row) -> bool:
    return any(word in _text(row, "pay_type") for word in ctx.locators.text("cod_pay"))


def to_ship_finding(ctx: FlowContext, row: Row) -> Finding | None:
    """Overdue or due soon by 承诺发货时间; a row that cannot be read is kept and flagged."""
    number = _order_no(ctx, row)
    ctx.sink.fact(FactKind.AWAITING_SHIPMENT, number, cod=str(_is_cod(ctx, row)).lower())
    draft = _draft(ctx, Category.AWAITING_SHIPMENT, number)
    deadline = draft.take("deadline_at", local_datetime(row.get("promise_time"), ctx.tz))
    draft.take("created_at", local_datetime(row.get("order_time"), ctx.tz))
    draft.take("amount_yuan", yuan(row.get("amount")))
    if deadline is not None:
        if deadline <= ctx.now:
            draft.category = Category.OVERDUE_SHIPMENT
        elif deadline - ctx.now <= ctx.options.ship_due_soon:
            draft.category = Category.SHIPMENT_DUE_SOON
        elif not draft.problems:
            return None  # comfortable: counted in the tally, nothing to do yet
    draft.set(
        item=_text(row, "goods"), status_text=_text(row, "status"), buyer_memo=_text(row, "memo"),
        customer=_customer(row), detail=_text(row, "pay_type"),
        link=ctx.link("ship", order_no=number) if number else "",
    )
    return draft.build()


def unpaid_finding(ctx: FlowContext, row: Row) -> Finding | None:
    """An unpaid order holding a prescription drug (marked 处方药) needs a pharmacist's look."""
    if row.get("rx_tag") is None:
        return None
    number = _order_no(ctx, row)
    draft = _draft(ctx, Category.RX_AWAITING_PAYMENT, number)
    draft.take("created_at", local_datetime(row.get("order_time"), ctx.tz))
    draft.take("amount_yuan", yuan(row.get("amount")))
    draft.set(item=_text(row, "goods"), status_text=_text(row, "status"), buyer_memo=_text(row, "memo"),
              customer=_customer(row), detail=_text(row, "rx_tag"),
              link=ctx.link("order_detail", order_no=number) if number else "")
    return draft.build()


def _aftersale(ctx: FlowContext, row: Row, *, buyer_step_is_idle: bool) -> Finding | None:
    remaining = _text(row, "remaining")
    if remaining in ctx.locators.text("no_deadline") and buyer_step_is_idle:
        return None  # waiting for the buyer's parcel: nothing for the merchant to do yet
    number = _text(row, "service_no")
    # The order number is what other systems (the ERP's remarks) know the case by.
    draft = _draft(ctx, Category.REFUND_WAITING, _order_no(ctx, row) or number)
    if remaining in ctx.locators.text("overdue"):
        draft.set(deadline_at=ctx.now)
        draft.category = Category.AFTERSALE_DUE_SOON
    elif remaining not in ctx.locators.text("no_deadline"):
        left: timedelta | None = draft.take("deadline_at", countdown(remaining))
        draft.fields["deadline_at"] = None if left is None else ctx.now + left
        if left is not None and left <= ctx.options.aftersale_due_soon:
            draft.category = Category.AFTERSALE_DUE_SOON
    draft.take("created_at", local_datetime(row.get("apply_time"), ctx.tz))
    draft.take("amount_yuan", yuan(row.get("amount")))
    draft.set(
        item=_text(row, "goods"), status_text=_text(row, "status"), customer=_text(row, "buyer"),
        detail=" · ".join(p for p in (_text(row, "kind"), _text(row, "reason"), f"服务单 {number}") if p),
        link=ctx.link("aftersale_detail", service_no=number) if number else "",
    )
    return draft.build()


def review_finding(ctx: FlowContext, row: Row) -> Finding | None:
    return _aftersale(ctx, row, buyer_step_is_idle=False)


def receive_finding(ctx: FlowContext, row: Row) -> Finding | None:
    return _aftersale(ctx, row, buyer_step_is_idle=True)


def complaint_finding(ctx: FlowContext, row: Row) -> Finding:
    number = _text(row, "complaint_no")
    draft = _draft(ctx, Category.COMPLAINT, number)
    draft.take("deadline_at", local_datetime(row.get("deadline"), ctx.tz))
    draft.take("created_at", local_datetime(row.get("created"), ctx.tz))
    draft.set(item=_text(row, "kind"), status_text=_text(row, "status"), customer=_text(row, "buyer"),
              detail=f"{_text(row, 'content')} · 订单 {_text(row, 'order_no')}",
              link=ctx.link("complaint_detail", complaint_no=number) if number else "")
    return draft.build()


def prescription_finding(ctx: FlowContext, row: Row) -> Finding:
    number = _text(row, "rx_no")
    draft = _draft(ctx, Category.PRESCRIPTION_REVIEW, number)
    draft.take("created_at", local_datetime(row.get("submitted"), ctx.tz))
    draft.set(item=_text(row, "drug"), status_text=_text(row, "status"), customer=_text(row, "patient"),
              detail=f"{_text(row, 'hospital')} {_text(row, 'doctor')} · 订单 {_text(row, 'order_no')}",
              link=ctx.link("prescription_detail", rx_no=number) if number else "")
    return draft.build()


LISTS = (
    ListSpec("to_ship", "to_ship", "orders", "order_cells", "order_no", to_ship_finding),
    ListSpec("unpaid", "unpaid", "orders", "order_cells", "order_no", unpaid_finding),
    ListSpec("aftersale_review", "aftersale_review", "tables", "aftersale_cells", "service_no",
             review_finding),
    ListSpec("aftersale_receive", "aftersale_receive", "tables", "aftersale_cells", "service_no",
             receive_finding),
    ListSpec("complaints", "complaints", "tables", "complaint_cells", "complaint_no", complaint_finding),
    ListSpec("prescriptions", "prescriptions", "tables", "prescription_cells", "rx_no",
             prescription_finding),
)
CELLS = {"order_cells": ORDER_CELLS, "aftersale_cells": AFTERSALE_CELLS,
         "complaint_cells": COMPLAINT_CELLS, "prescription_cells": PRESCRIPTION_CELLS}


def row_script(ctx: FlowContext, cells: str) -> str:
    """A JS mapper row -> {cell: text | null}; the cell selectors come from the selectors file."""
    found: dict[str, str] = {}
    for name in CELLS[cells]:
        css = ctx.locators.selector(cells, name).css
        if css is None:
            raise ConfigError(f"[selectors.{cells}] {name} must be a css selector")
        found[name] = css
    return (
        f"el => {{ const cells = {json.dumps(found, ensure_ascii=False)}; const row = {{}};"
        " for (const [k, css] of Object.entries(cells)) { const n = el.querySelector(css);"
        " row[k] = n ? n.textContent.trim() : null; } return row; }"
    )


class SuningFlow:
    key = "suning"
    required: Mapping[str, Sequence[str]] = {
        "urls": ["home", *(s.url for s in LISTS), "ship", "order_detail", "aftersale_detail",
                 "complaint_detail", "prescription_detail"],
        "texts": ["login_path", "rejected", "locked", "order_no_label", "pager", "overdue", "no_deadline",
                  "cod_pay", "page_field"],
        "selectors.login": ["username", "password", "submit", "slider", "error"],
        "selectors.sms": ["get_code"],
        "selectors.home": ["logged_in", "announcement", "announcement_close"],
        "selectors.list": ["pager_info", "next", "page_size", "busy", "empty", "form"],
        "selectors.orders": ["container", "count", "row"],
        "selectors.tables": ["container", "count", "row"],
        **{f"selectors.{table}": list(names) for table, names in CELLS.items()},
    }

    # -- session --------------------------------------------------------------------------
    async def open(self, ctx: FlowContext) -> None:
        await pageops.goto(ctx, ctx.url("home"), login_marker=_login_path(ctx))
        await pageops.require(ctx.sel("home", "logged_in"), "home.logged_in")
        await _dismiss_notice(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        try:
            await pageops.goto(ctx, ctx.url("home"), login_marker=_login_path(ctx))
        except SessionExpired:
            await self._password_login(ctx, creds, human)
        await pageops.require(ctx.sel("home", "logged_in"), "home.logged_in")
        await ctx.page.wait_for_load_state("domcontentloaded")
        await _dismiss_notice(ctx)

    async def _password_login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await pageops.require(ctx.sel("login", "username"), "login.username")
        await ctx.sel("login", "username").fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        if await ctx.sel("login", "slider").is_visible():
            await _wait_for_human(ctx, human, "拖动滑块后点击“登录”")
            return
        if not await ctx.sel("login", "submit").count():  # server-rendered: there with the form or never
            raise LayoutChanged(["login.submit"], where="login")
        await ctx.sel("login", "submit").click()
        outcome = await pageops.first_visible(
            {"home": ctx.sel("home", "logged_in"), "sms": ctx.sel("sms", "get_code"),
             "error": ctx.sel("login", "error")},
            timeout_ms=LOGIN_WAIT_MS,
        )
        if outcome == "sms":
            await _wait_for_human(ctx, human, "获取并填写短信验证码后点击“确定”")
        elif outcome == "error":
            await self._login_refused(ctx, human)
        elif outcome is None:
            raise SiteUnavailable("苏宁 login did not answer")

    async def _login_refused(self, ctx: FlowContext, human: HumanWait | None) -> None:
        message = clean_text(await ctx.sel("login", "error").first.inner_text())
        if any(t in message for t in ctx.locators.text("locked")):
            raise AccountLocked(f"苏宁: the account is locked: {message}")
        if any(t in message for t in ctx.locators.text("rejected")):
            raise LoginRejected(f"苏宁 refused the login: {message}")
        if await ctx.sel("login", "slider").is_visible():
            await _wait_for_human(ctx, human, "拖动滑块后点击“登录”")
            return
        raise LoginRejected(f"苏宁 refused the login: {message}")

    # -- lists ----------------------------------------------------------------------------
    async def collect(self, ctx: FlowContext) -> None:
        await _watch_notice(ctx)
        await side_by_side(ctx, each(self._read_list, LISTS), prepare=_watch_notice)

    async def _read_list(self, ctx: FlowContext, spec: ListSpec) -> None:
        await pageops.goto(ctx, ctx.url(spec.url), login_marker=_login_path(ctx))
        await _check_list_page(ctx, spec)
        label = await _visible_text(ctx, spec, spec.page, "count")
        digits = re.search(r"\d+", label)
        if digits is None:
            raise LayoutChanged([f"{spec.page}.count"], where=spec.name)
        ctx.sink.open_list(spec.name, int(digits.group()), source=f"tab counter '{label}'")
        _, last = await _pager(ctx, spec)
        resized = last > 1 and await _largest_page_size(ctx, spec)
        reader = PageReader(ctx, spec)
        shown = await reader.read(checked=not resized)
        while True:
            current, last, rows, has_next = shown
            await _check_rows(ctx, spec, rows, current)
            for row in ctx.sink.fresh_rows(spec.name, rows, lambda r: _text(r, spec.key_cell)):
                finding = spec.to_finding(ctx, row)
                if finding is not None:
                    ctx.sink.add(finding)
            if current >= last:
                break
            shown = await _next_page(ctx, reader, current, has_next)
        ctx.sink.close_list(spec.name)
        ctx.log.info("list read", list=spec.name, **_tally(ctx, spec.name))


def _tally(ctx: FlowContext, name: str) -> dict[str, Any]:
    tally = ctx.sink.lists[name]
    return {"pages": tally.pages, "rows": tally.rows_read, "expected": tally.expected}


def _login_path(ctx: FlowContext) -> str:
    return ctx.locators.text("login_path")[0]


async def _watch_notice(ctx: FlowContext) -> None:
    """The announcement may also cover a list page: close it whenever it is in the way."""
    notice = ctx.sel("home", "announcement").first
    close = ctx.sel("home", "announcement_close", notice).first
    await close_whenever(ctx.page, "announcement", notice, close)


async def _dismiss_notice(ctx: FlowContext) -> None:
    """The announcement MOMS shows after login is server-rendered: visible at load or not at all."""
    dialog = ctx.sel("home", "announcement").first
    if await dialog.is_visible():
        await ctx.sel("home", "announcement_close", dialog).first.click()
        await dialog.wait_for(state="hidden")


async def _wait_for_human(ctx: FlowContext, human: HumanWait | None, step: str) -> None:
    if human is None:
        raise LoginChallenge(f"苏宁 wants a human step at login: {step}")
    human.tell(f"苏宁 ({ctx.account}): 请在浏览器窗口中{step}")
    try:
        await ctx.sel("home", "logged_in").first.wait_for(state="visible", timeout=human.timeout_s * 1000)
    except PlaywrightTimeout:
        waited = f"{human.timeout_s:.0f} s"
        raise LoginChallenge(f"苏宁: nobody completed the login step within {waited}") from None


async def _check_list_page(ctx: FlowContext, spec: ListSpec) -> None:
    """The list is there, or the site said it is busy (HTTP 200 error page), or the layout moved.

    MOMS renders on the server: once DOMContentLoaded has fired the markup is complete, so
    counting elements needs no waiting.
    """
    if await ctx.sel(spec.page, "container").count():
        return
    if await ctx.sel("list", "busy").count():
        raise SiteUnavailable(f"{spec.name}: the site answered 系统繁忙")
    raise LayoutChanged([f"{spec.page}.container"], where=spec.name)


async def _visible_text(ctx: FlowContext, spec: ListSpec, page: str, name: str) -> str:
    """The text of an element the page promises (server-rendered: there at load, or never)."""
    try:
        return clean_text(await ctx.sel(page, name).first.text_content(timeout=5_000))
    except PlaywrightTimeout:
        raise LayoutChanged([f"{page}.{name}"], where=spec.name) from None


async def _pager(ctx: FlowContext, spec: ListSpec) -> tuple[int, int]:
    return _pager_numbers(ctx, spec, await _visible_text(ctx, spec, "list", "pager_info"))


def _pager_numbers(ctx: FlowContext, spec: ListSpec, text: str) -> tuple[int, int]:
    match = re.search(ctx.locators.text("pager")[0], text)
    if match is None:
        raise LayoutChanged([f"list.pager_info ({text!r})"], where=spec.name)
    return int(match.group(1)), int(match.group(2))


Shown = tuple[int, int, list[Row], bool]  # page number, last page, its rows, whether a next link is there


class PageReader:
    """What one page of a list shows (pager, rows, next link): one evaluate when the selectors file
    names them in plain CSS, else one locator call each. A page that is not the list (busy, moved)
    is told apart by the slower checks.

    Server-rendered: once DOMContentLoaded has fired the markup is complete, so nothing waits.
    """

    def __init__(self, ctx: FlowContext, spec: ListSpec) -> None:
        self.ctx, self.spec = ctx, spec
        self.row_script = row_script(ctx, spec.cells)
        parts = {"container": pageops.plain_css(ctx, spec.page, "container"),
                 "pager": pageops.plain_css(ctx, "list", "pager_info"),
                 "row": pageops.plain_css(ctx, spec.page, "row"),
                 "next": pageops.plain_css(ctx, "list", "next")}
        self.script = None if None in parts.values() else reader_of_document(
            f"const q = {js(parts)}; const map = {self.row_script};"
            " const one = (css) => doc.querySelector(css); const pager = one(q.pager);"
            " const list = !!one(q.container); return {list, pager: pager ? pager.textContent : null,"
            " next: !!one(q.next), rows: list ? Array.from(doc.querySelectorAll(q.row), map) : []};"
        )
        self.form = pageops.plain_css(ctx, "list", "form")

    async def read(self, *, checked: bool) -> Shown:
        """`checked`: the page is already known to hold the list (else that is checked as well)."""
        ctx, spec = self.ctx, self.spec
        if self.script is None:
            if not checked:
                await _check_list_page(ctx, spec)
            current, last = await _pager(ctx, spec)
            rows: list[Row] = await pageops.table_rows(ctx.sel(spec.page, "row"), self.row_script)
            return current, last, rows, await ctx.sel("list", "next").count() > 0
        shown: dict[str, Any] = await read_on_screen(ctx, self.script)
        if not shown["list"]:
            await _check_list_page(ctx, spec)  # raises: the site is busy, or the layout changed
        if shown["pager"] is None:
            raise LayoutChanged(["list.pager_info"], where=spec.name)
        current, last = _pager_numbers(ctx, spec, clean_text(shown["pager"]))
        return current, last, list(shown["rows"]), bool(shown["next"])

    async def fetch(self, number: int) -> Shown | None:
        """Page `number`, posted with the list's own pager form and read unrendered
        (sweeper.unrendered); None when that cannot be, or the answer is not that page of the list."""
        ctx, spec = self.ctx, self.spec
        if self.script is None or self.form is None or not ctx.options.fetch_list_pages:
            return None
        field = ctx.locators.text("page_field")[0]
        shown = await post_form_and_read(
            ctx, self.script, self.form, {field: str(number)}, login_marker=_login_path(ctx))
        if shown is None or not shown["list"] or shown["pager"] is None:
            return None
        try:
            current, last = _pager_numbers(ctx, spec, clean_text(shown["pager"]))
        except LayoutChanged:
            return None  # opened for real, where the same reading names it
        rows: list[Row] = list(shown["rows"])
        if current != number or not rows or all(row.get(spec.key_cell) is None for row in rows):
            return None  # opened for real, _check_rows names what is wrong with that page on screen
        return current, last, rows, bool(shown["next"])


async def _largest_page_size(ctx: FlowContext, spec: ListSpec) -> bool:
    """Pick the largest rows-per-page the page's own select offers; True when the page reloaded."""
    select = ctx.sel("list", "page_size").first
    if not await select.count():
        return False
    current, options = await select.evaluate("s => [s.value, Array.from(s.options, o => o.value)]")
    sizes = [int(o) for o in options if str(o).isdigit()]
    if not sizes or str(max(sizes)) == current:
        return False
    await _navigate(ctx, spec, lambda: select.select_option(str(max(sizes))), "page size")
    return True


async def _next_page(ctx: FlowContext, reader: PageReader, current: int, has_next: bool) -> Shown:
    """Page `current + 1`: fetched unrendered when it can be; else opened for real, so the page's
    own checks and the evidence see it (the page on screen may still be an earlier one)."""
    spec = reader.spec
    if not has_next:
        raise LayoutChanged(["list.next"], where=f"{spec.name} page {current}")
    fetched = await reader.fetch(current + 1)
    if fetched is not None:
        return fetched
    form = reader.form if ctx.options.fetch_list_pages else None
    if form is not None and await ctx.page.locator(form).count():
        await _navigate(ctx, spec, _submit_page(ctx, form, current + 1), f"page {current + 1}")
    else:
        turn = page_turn(ctx, ctx.sel("list", "next").first)
        await _navigate(ctx, spec, turn, f"page {current + 1}")
    shown = await reader.read(checked=False)
    if shown[0] != current + 1:
        raise SiteUnavailable(f"{spec.name}: asked for page {current + 1}, got page {shown[0]}")
    return shown


def _submit_page(ctx: FlowContext, form: str, number: int) -> Callable[[], Awaitable[Any]]:
    """Submit the pager form for page `number`, as the pager's own links do (`jumpPage`)."""
    field = ctx.locators.text("page_field")[0]
    script = ("([form, field, n]) => { const f = document.querySelector(form);"
              " f.elements[field].value = n; f.submit(); }")
    return lambda: ctx.page.evaluate(script, [form, field, number])


async def _navigate(
    ctx: FlowContext, spec: ListSpec, action: Callable[[], Awaitable[Any]], what: str
) -> None:
    """A form POST that reloads the whole page: wait for that navigation, then check where we are."""
    try:
        async with ctx.page.expect_navigation(wait_until="domcontentloaded") as nav:
            await action()
        response = await nav.value
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(f"{spec.name}: timed out loading {what}") from exc
    if response is not None and response.status >= 500:
        raise SiteUnavailable(f"{spec.name}: {what} answered HTTP {response.status}")
    pageops.ensure_not_on_login(ctx, _login_path(ctx))  # a list page or not: PageReader.read says


async def _check_rows(ctx: FlowContext, spec: ListSpec, rows: list[Row], page: int) -> None:
    """Zero rows must be the site's own "no data"; rows without their number mean the markup moved."""
    if not rows:
        if page == 1 and await ctx.sel("list", "empty").first.is_visible():
            return
        raise LayoutChanged([f"{spec.page}.row"], where=f"{spec.name} page {page}")
    if all(row.get(spec.key_cell) is None for row in rows):
        raise LayoutChanged([f"{spec.cells}.{spec.key_cell}"], where=f"{spec.name} page {page}")


FLOW = SuningFlow()
