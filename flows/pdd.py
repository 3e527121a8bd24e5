"""拼多多 merchant back-end (mms): login, home counters, and four lists read from their JSON.

Every list page is a BeastCore table filled from a JSON API; the flow drives the UI (page size,
pager) and reads the response the page itself receives: one request per page, no cell reads.
Site facts: docs/platforms.md §1. Selectors, URLs, API paths and texts: selectors/pdd.toml.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper.errors import (
    AccountLocked,
    LayoutChanged,
    LoginChallenge,
    LoginRejected,
    SessionExpired,
    SiteUnavailable,
)
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FactKind, Finding
from sweeper.page_turns import page_turn
from sweeper.pageops import first_visible, goto, json_from, require
from sweeper.parsing import FindingDraft, clean_text, fen_to_yuan, unix_seconds
from sweeper.side_by_side import side_by_side

OK_CODE = 1_000_000
LOGIN_OUTCOME_TIMEOUT_MS = 30_000
DROPDOWN_TRIES, DROPDOWN_WAIT_MS = 3, 3_000
_WATCHED: weakref.WeakSet[Page] = weakref.WeakSet()
# The home counters `open` just read, for `collect` (same page, still on home): one load, not two.
_COUNTERS: weakref.WeakKeyDictionary[Page, dict[str, Any]] = weakref.WeakKeyDictionary()
SESSION_EXPIRED_CODES = frozenset({43001})
_PAGE_SIZE = re.compile(r"(\d+)\s*条/页")


@dataclass(frozen=True)
class ListSpec:
    """Where one list's rows and total sit in its API's `result`."""

    name: str
    url: str
    api: str
    items_key: str
    total_key: str


ORDERS = ListSpec("orders_to_ship", "orders_to_ship", "orders", "pageItems", "totalItemNum")
AFTERSALES = ListSpec("aftersales", "aftersales", "aftersales", "list", "total")
WORK_ORDERS = ListSpec("work_orders", "work_orders", "work_orders", "list", "total")
PRESCRIPTIONS = ListSpec("prescriptions", "prescriptions", "prescriptions", "list", "total")


class PddFlow:
    key = "pdd"
    # One tab per list: three of its four lists page at most 50 rows (the other sites 100 or more),
    # so they take twice the requests; in three tabs two lists would run one after the other, and
    # 拼多多 would be the last platform to finish (bench/sweep.py: 22 s alone, 31 s with the others).
    lists_in_parallel = 4
    required: Mapping[str, Sequence[str]] = MappingProxyType({
        "urls": ["login", "home", "orders_to_ship", "order_detail", "aftersales", "aftersale_detail",
                 "work_orders", "work_order_detail", "prescriptions", "prescription_detail"],
        "api": ["home_counts", "orders", "aftersales", "work_orders", "prescriptions"],
        "texts": ["login_path", "challenge", "sms_step", "rejected", "locked", "merchant_waiting"],
        "selectors.login": ["account_tab", "username", "password", "submit", "error", "modal",
                            "modal_close", "qr_panel"],
        "selectors.home": ["announcement", "announcement_close", "side_nav"],
        "selectors.list": ["body_rows", "pager_next", "page_size", "page_size_option", "guide",
                           "guide_close"],
        "selectors.prescriptions": ["status_filter", "status_option", "query"],
    })

    # -- session ---------------------------------------------------------------------------

    async def open(self, ctx: FlowContext) -> None:
        await self._watch_popups(ctx)
        if ctx.page.url.startswith(ctx.url("home")) and await ctx.sel("home", "side_nav").first.is_visible():
            return  # a login just landed here: the session is good, `collect` reads the counters
        # Wait for the home page's own counter request too: a response still in flight when the
        # next page opens would lose its body and confuse the next reader.
        _COUNTERS[ctx.page] = await self._home_counters(ctx)
        await require(ctx.sel("home", "side_nav"), "home.side_nav")

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await goto(ctx, ctx.url("login"), login_marker=None)
        await _close_if_visible(ctx.sel("login", "modal"), ctx.sel("login", "modal_close"))
        await require(ctx.sel("login", "account_tab"), "login.account_tab")
        await ctx.sel("login", "account_tab").click()
        await require(ctx.sel("login", "username"), "login.username")
        await ctx.sel("login", "username").fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        await ctx.sel("login", "submit").first.click()
        outcome = await first_visible(
            {
                "home": ctx.sel("home", "side_nav"),
                "locked": _any_text(ctx, "locked"),
                "rejected": ctx.sel("login", "error").filter(has_text=re.compile(r"\S")),
                "challenge": _any_text(ctx, "challenge"),
                "sms": _any_text(ctx, "sms_step"),
                "again": ctx.sel("login", "qr_panel"),  # a fresh login page: the session did not hold
            },
            timeout_ms=LOGIN_OUTCOME_TIMEOUT_MS,
        )
        await self._after_submit(ctx, outcome, human)

    async def _after_submit(self, ctx: FlowContext, outcome: str | None, human: HumanWait | None) -> None:
        if outcome == "home":
            return
        if outcome == "again":
            raise SessionExpired("拼多多: logged in, but the site asked to log in again at once")
        if outcome == "locked":
            raise AccountLocked("拼多多: the account is locked (盗号风险); unlock it in the app first")
        if outcome == "rejected":
            message = clean_text(await ctx.sel("login", "error").first.inner_text())
            raise LoginRejected(f"拼多多 refused the login: {message}")
        if human is None:
            step = {"challenge": "a slider/captcha", "sms": "an SMS code"}.get(outcome or "", "a human step")
            raise LoginChallenge(f"拼多多 asks for {step}; a person must log in once")
        human.tell("拼多多：请在打开的浏览器窗口中完成验证（滑块 / 短信验证码 / 扫码），完成后会自动继续。")
        try:
            await require(ctx.sel("home", "side_nav"), "home.side_nav", timeout_ms=human.timeout_s * 1000)
        except LayoutChanged:
            raise LoginChallenge(f"no login completed within {human.timeout_s:.0f} s") from None

    async def _watch_popups(self, ctx: FlowContext) -> None:
        """Announcements and onboarding guides may cover any page at any time (and ignore Escape):
        Playwright closes them before each action, wherever they appear."""
        if ctx.page in _WATCHED:
            return
        _WATCHED.add(ctx.page)
        for page_name, modal, close in (("home", "announcement", "announcement_close"),
                                        ("list", "guide", "guide_close")):
            await ctx.page.add_locator_handler(
                ctx.sel(page_name, modal).first, _clicker(ctx.sel(page_name, close).first)
            )

    # -- lists -----------------------------------------------------------------------------

    async def collect(self, ctx: FlowContext) -> None:
        counters = _COUNTERS.pop(ctx.page, None)
        if counters is None or not ctx.page.url.startswith(ctx.url("home")):
            counters = await self._home_counters(ctx)
        jobs = [lambda lane: self._orders(lane, counters), lambda lane: self._aftersales(lane, counters),
                lambda lane: self._work_orders(lane, counters), self._prescriptions]
        await side_by_side(ctx, jobs, prepare=self._watch_popups)

    async def _home_counters(self, ctx: FlowContext) -> dict[str, Any]:
        body = await json_from(
            ctx, "home_counts", lambda: goto(ctx, ctx.url("home"), login_marker=_login_marker(ctx))
        )
        return _result(ctx, body, "home_counts")

    async def _orders(self, ctx: FlowContext, counters: dict[str, Any]) -> None:
        expected = _int_or_none(counters.get("waitShipNum"))
        for row in await self._read_list(ctx, ORDERS, expected, "首页计数「待发货」"):
            finding = _order_finding(ctx, row)
            if finding is not None:
                ctx.sink.add(finding)

    async def _aftersales(self, ctx: FlowContext, counters: dict[str, Any]) -> None:
        rows = await self._read_list(ctx, AFTERSALES, None, "")
        waiting_words = ctx.locators.text("merchant_waiting")
        waiting = [r for r in rows if any(w in str(r.get("afterSalesTitle", "")) for w in waiting_words)]
        summary = counters.get("aftersalesNew") or {}
        expected = _int_or_none(summary.get("totalWaitHandleCount")) if isinstance(summary, dict) else None
        _tally_subset(ctx, "aftersales_waiting", len(waiting), expected, "首页计数「退款/售后」")
        for row in waiting:
            ctx.sink.add(_aftersale_finding(ctx, row))

    async def _work_orders(self, ctx: FlowContext, counters: dict[str, Any]) -> None:
        rows = await self._read_list(ctx, WORK_ORDERS, None, "")
        pending = [r for r in rows if _is_pending_work_order(r)]
        expected = _int_or_none(counters.get("pendingOrder"))
        _tally_subset(ctx, "work_orders_pending", len(pending), expected, "首页计数「待处理工单」")
        for row in pending:
            ctx.sink.add(_work_order_finding(ctx, row))

    async def _prescriptions(self, ctx: FlowContext) -> None:
        async def open_filtered() -> None:
            await goto(ctx, ctx.url(PRESCRIPTIONS.url), login_marker=_login_marker(ctx))
            await require(ctx.sel("prescriptions", "status_filter"), "prescriptions.status_filter")
            await _open_dropdown(
                ctx.sel("prescriptions", "status_filter"),
                ctx.sel("prescriptions", "status_option"),
                "prescriptions.status_option",
            )
            await ctx.sel("prescriptions", "status_option").first.click()

        await open_filtered()
        first = await json_from(ctx, PRESCRIPTIONS.api, ctx.sel("prescriptions", "query").first.click)
        rows = await self._page_through(ctx, PRESCRIPTIONS, first, None, "")
        for row in rows:
            ctx.sink.add(_prescription_finding(ctx, row))

    async def _read_list(
        self, ctx: FlowContext, spec: ListSpec, expected: int | None, source: str
    ) -> list[dict[str, Any]]:
        """Open a list page, read its first JSON page, then every following page."""
        first = await json_from(
            ctx, spec.api, lambda: goto(ctx, ctx.url(spec.url), login_marker=_login_marker(ctx))
        )
        return await self._page_through(ctx, spec, first, expected, source)

    async def _page_through(
        self, ctx: FlowContext, spec: ListSpec, first: Any, expected: int | None, source: str
    ) -> list[dict[str, Any]]:
        result = _result(ctx, first, spec.api)
        total = _int_or_none(result.get(spec.total_key))
        if total is None:
            raise SiteUnavailable(f"{spec.api}: no {spec.total_key} in the answer")
        ctx.sink.open_list(spec.name, expected if expected is not None else total, source or "列表总数")
        rows = _items(result, spec.items_key)
        if len(rows) < total:
            result = await self._largest_page_size(ctx, spec) or result
            rows = _items(result, spec.items_key)
        seen: dict[str, dict[str, Any]] = {}
        _merge(seen, rows)
        ctx.sink.page_read(spec.name, len(rows))
        # The pager's next is disabled exactly when page × size reaches the latest total: that
        # arithmetic on the answers replaces a look at the button (a round trip per page).
        size, number, latest = max(len(rows), 1), 1, total
        while len(seen) < total and number * size < latest:
            body = await json_from(ctx, spec.api, page_turn(ctx, ctx.sel("list", "pager_next").first))
            page_result = _result(ctx, body, spec.api)
            page_rows = _items(page_result, spec.items_key)
            latest = _int_or_none(page_result.get(spec.total_key)) or latest
            number += 1
            if not page_rows:
                break
            _merge(seen, page_rows)
            ctx.sink.page_read(spec.name, len(page_rows))
        if len(seen) >= total:
            ctx.sink.close_list(spec.name)
        ctx.sink.lists[spec.name].rows_kept = len(seen)
        return list(seen.values())

    async def _largest_page_size(self, ctx: FlowContext, spec: ListSpec) -> dict[str, Any] | None:
        """Pick the largest option of the page-size select, as a person would; fewer requests."""
        select = ctx.sel("list", "page_size").first
        if not await select.is_visible():
            return None
        current = _size_in(await select.inner_text())
        options = ctx.sel("list", "page_size_option")
        await _open_dropdown(select, options, "list.page_size_option")
        texts: list[str] = await options.evaluate_all("(els) => els.map((e) => e.textContent || '')")
        sizes = [s for s in (_size_in(t) for t in texts) if s is not None]
        if not sizes or max(sizes) == current:
            await ctx.page.keyboard.press("Escape")
            return None
        choice = options.filter(has_text=re.compile(rf"^\s*{max(sizes)}\s*条/页\s*$")).first
        body = await json_from(ctx, spec.api, choice.click)
        return _result(ctx, body, spec.api)


# -- helpers (pure or nearly) ------------------------------------------------------------------


def _clicker(button: Locator) -> Callable[[], Awaitable[None]]:
    """A locator handler that clicks `button` (no parameter: Playwright would pass the overlay)."""

    async def click() -> None:
        await button.click()

    return click


def _login_marker(ctx: FlowContext) -> str:
    return ctx.locators.text("login_path")[0]


def _any_text(ctx: FlowContext, name: str) -> Locator:
    words = ctx.locators.text(name)
    return ctx.page.get_by_text(re.compile("|".join(re.escape(w) for w in words)))


async def _open_dropdown(select: Locator, options: Locator, what: str) -> None:
    """Open a BeastCore select. Tiles that load late can shift the page under the first click,
    so a click that opened nothing is repeated (bounded) once the layout has moved on."""
    for _ in range(DROPDOWN_TRIES):
        await select.click()
        try:
            await options.first.wait_for(state="visible", timeout=DROPDOWN_WAIT_MS)
            return
        except PlaywrightTimeout:
            continue
    raise LayoutChanged([what])


async def _close_if_visible(modal: Locator, close: Locator) -> None:
    if await modal.first.is_visible():
        await close.first.click()
        await modal.first.wait_for(state="hidden")


def _result(ctx: FlowContext, body: Any, api: str) -> dict[str, Any]:
    """Unwrap {success, errorCode, errorMsg, result}; an expired session is SessionExpired."""
    if not isinstance(body, dict):
        raise SiteUnavailable(f"{api}: unexpected answer")
    if body.get("success") is True and body.get("errorCode") in (OK_CODE, None):
        result = body.get("result")
        return result if isinstance(result, dict) else {}
    code, message = body.get("errorCode"), clean_text(body.get("errorMsg"))
    if code in SESSION_EXPIRED_CODES:
        raise SessionExpired(f"拼多多: {message or 'session expired'} ({code})")
    raise SiteUnavailable(f"{api}: errorCode {code} {message}")


def _items(result: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = result.get(key) or []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _merge(seen: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Rows keyed by their id: a list that shifts while paged yields no duplicates."""
    for row in rows:
        key = str(row.get("order_sn") or row.get("id") or row.get("instanceId") or row.get("orderSn")
                  or len(seen))
        seen.setdefault(key, row)


def _size_in(text: str) -> int | None:
    match = _PAGE_SIZE.search(text)
    return int(match.group(1)) if match else None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tally_subset(ctx: FlowContext, name: str, found: int, expected: int | None, source: str) -> None:
    """A reconciliation of a filtered subset (e.g. cases waiting for us) against a home counter."""
    ctx.sink.open_list(name, expected, source)
    ctx.sink.page_read(name, found)
    ctx.sink.close_list(name)


def _is_pending_work_order(row: dict[str, Any]) -> bool:
    return row.get("status") == 1 or "待处理" in str(row.get("statusStr", ""))


def _draft(ctx: FlowContext, category: Category, order_no: Any) -> FindingDraft:
    return FindingDraft(ctx.platform, ctx.account, category, clean_text(order_no, 64))


def _deadline_category(
    ctx: FlowContext, deadline: datetime | None, soon: timedelta, due: Category, calm: Category | None
) -> Category | None:
    if deadline is None:
        return due
    if deadline <= ctx.now:
        return Category.OVERDUE_SHIPMENT if due is Category.SHIPMENT_DUE_SOON else due
    return due if deadline - ctx.now <= soon else calm


def _order_finding(ctx: FlowContext, row: dict[str, Any]) -> Finding | None:
    probe = _draft(ctx, Category.SHIPMENT_DUE_SOON, row.get("order_sn"))
    ctx.sink.fact(FactKind.AWAITING_SHIPMENT, probe.order_no)
    deadline = probe.take("deadline_at", unix_seconds(row.get("promise_shipping_time")))
    category = _deadline_category(ctx, deadline, ctx.options.ship_due_soon, Category.SHIPMENT_DUE_SOON, None)
    if category is None:
        return None
    probe.category = category
    probe.take("amount_yuan", fen_to_yuan(row.get("order_amount")))
    probe.take("created_at", unix_seconds(row.get("created_at") or row.get("order_time")))
    memo = clean_text(row.get("buyer_memo"))
    review = "；平台审核中，暂勿发货" if row.get("risk_status") == 1 else ""
    return probe.set(
        item=_item(row.get("goods_name"), row.get("spec"), row.get("goods_number")),
        status_text=clean_text(row.get("order_status_str")) + review,
        buyer_memo=memo,
        customer=clean_text(f"{row.get('receive_name') or ''} {row.get('receive_mobile') or ''}"),
        link=ctx.link("order_detail", order_sn=str(row.get("order_sn", ""))),
    ).build()


def _aftersale_finding(ctx: FlowContext, row: dict[str, Any]) -> Finding:
    draft = _draft(ctx, Category.REFUND_WAITING, row.get("orderSn"))
    remain = row.get("expireRemainTime")
    if isinstance(remain, int) and not isinstance(remain, bool):
        deadline: datetime | None = ctx.now + timedelta(seconds=remain)
        draft.set(deadline_at=deadline)
    else:
        draft.problems.append(f"deadline_at: expireRemainTime unparseable: {str(remain)[:40]!r}")
        draft.raw["deadline_at"] = str(remain)
        deadline = None
    soon = deadline is not None and deadline - ctx.now <= ctx.options.aftersale_due_soon
    draft.category = Category.AFTERSALE_DUE_SOON if soon else Category.REFUND_WAITING
    draft.take("amount_yuan", fen_to_yuan(row.get("refundAmount")))
    draft.take("created_at", unix_seconds(row.get("createdAt")))
    action = clean_text(row.get("expireActionDesc"))
    return draft.set(
        item=_item(row.get("goodsName"), row.get("goodsSpec"), row.get("goodsNumber")),
        status_text=clean_text(row.get("afterSalesTitle")),
        detail=f"超时后{action}" if action else "",
        buyer_memo=clean_text(row.get("afterSalesReasonDesc")),
        link=ctx.link("aftersale_detail", id=str(row.get("id", ""))),
    ).build()


def _work_order_finding(ctx: FlowContext, row: dict[str, Any]) -> Finding:
    draft = _draft(ctx, Category.COMPLAINT, row.get("orderSn") or row.get("workOrderSn"))
    draft.take("deadline_at", unix_seconds(row.get("expireTime")))
    draft.take("created_at", unix_seconds(row.get("createdAt")))
    return draft.set(
        item=clean_text(row.get("problemTitle")),
        status_text=clean_text(row.get("statusStr")),
        detail=clean_text(row.get("workOrderSn")),
        link=ctx.link("work_order_detail", id=str(row.get("instanceId") or row.get("workOrderSn") or "")),
    ).build()


def _prescription_finding(ctx: FlowContext, row: dict[str, Any]) -> Finding:
    draft = _draft(ctx, Category.PRESCRIPTION_REVIEW, row.get("orderSn"))
    draft.take("created_at", unix_seconds(row.get("createdAt")))
    return draft.set(
        item=clean_text(row.get("goodsName")),
        status_text=clean_text(row.get("statusStr")),
        customer=clean_text(row.get("patientName")),
        link=ctx.link("prescription_detail", order_sn=str(row.get("orderSn", ""))),
    ).build()


def _item(name: Any, spec: Any, number: Any) -> str:
    parts = [clean_text(name), clean_text(spec)]
    count = f"×{number}" if number not in (None, "", 0) else ""
    return " ".join(p for p in parts if p) + count


FLOW = PddFlow()
