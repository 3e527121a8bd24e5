"""上元堂 own shop admin (admin.syt.cn): what the 10:00 slot of the daily routine asks for.

Lists, each read to its end from the JSON the page itself receives (`{state, msg, data}`):
  stock              the stock table (SKU -> available), for the stock check
  to_ship_platform   待发货 + 平台收款  -> AWAITING_SHIPMENT (customer remark), STOCK_SHORTAGE
  awaiting_payment   待付款            -> RX_AWAITING_PAYMENT when an item is prescription-only
  cod_orders         货到付款          -> COD_NOT_ZTO when an open order is not on ZTO
  reship_orders      补发              -> RESHIP_REMARK_MALFORMED when the remark breaks the rule
Filters and the page size are set through the page's own controls. Site facts: docs/platforms.md §7.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
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
from sweeper.pageops import goto, json_from, require
from sweeper.parsing import FindingDraft, Parsed, clean_text, integer, local_datetime, yuan
from sweeper.popups import close_whenever
from sweeper.side_by_side import each, side_by_side

SITE = "官网后台"
# The list pages' tables and controls are in the HTML itself: once the page's JSON has come, they are
# there or the layout changed. No need for the default 15 s.
_SHELL_MS = 3_000
_NOT_BLANK = re.compile(r"\S")
_ORDER_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,}$")
_SEPARATORS = " ：:,，;；-—/"


# -- the re-shipment remark rule (pure) ---------------------------------------------------------


@dataclass(frozen=True)
class RemarkVerdict:
    ok: bool
    reason: str
    platform: str = ""
    original_order: str = ""
    product: str = ""


def check_reship_remark(
    remark: str, platforms: Sequence[str], word: str = "补发", products: Sequence[str] = ()
) -> RemarkVerdict:
    """Judge a re-shipment remark against `平台名 + 原订单号 + 补发 + 商品名`.

    `products`, when given, are the order's product names: the remark's product must be one of them.
    """
    text = clean_text(remark)
    if not text or word not in text:
        return RemarkVerdict(False, "备注为空" if not text else f"缺少「{word}」")
    before, after = (part.strip(_SEPARATORS) for part in text.split(word, 1))
    platform, original, problem = _platform_and_order(before, after, platforms, word)
    if problem:
        return RemarkVerdict(False, problem, platform, original)
    if not after:
        return RemarkVerdict(False, f"「{word}」后缺少商品名", platform, original)
    if products and not any(after in p or p in after for p in products if p):
        return RemarkVerdict(False, f"商品名与订单商品不符：「{after[:30]}」", platform, original, after)
    return RemarkVerdict(True, "格式正确", platform, original, after)


def _platform_and_order(before: str, after: str, platforms: Sequence[str], word: str) -> tuple[str, str, str]:
    """(platform, original order number, problem) from the text before 补发."""
    if not before:
        named = any(p in after for p in platforms)
        return "", "", f"顺序不对：「{word}」应在平台名和原订单号之后" if named else "缺少平台名和原订单号"
    platform = next((p for p in sorted(platforms, key=len, reverse=True) if before.startswith(p)), "")
    if not platform:
        if _ORDER_NO.match(before):
            return "", before, "缺少平台名"
        return "", "", f"开头不是已知平台名：「{before[:30]}」"
    original = before[len(platform):].strip(_SEPARATORS)
    if not original:
        return platform, "", "缺少原订单号"
    if not _ORDER_NO.match(original):
        return platform, original, f"原订单号不像单号：「{original[:30]}」"
    return platform, original, ""


# -- the flow -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderList:
    """One filtered view of the order list: the [texts] names of the options chosen in each filter."""

    name: str
    status: str
    pay_type: str
    order_type: str
    source: str


TO_SHIP = OrderList("to_ship_platform", "status_to_ship", "pay_platform", "filter_all",
                    "订单列表「待发货·平台收款」共N条")
AWAITING_PAYMENT = OrderList("awaiting_payment", "status_awaiting_payment", "filter_all", "filter_all",
                             "订单列表「待付款」共N条")
COD = OrderList("cod_orders", "filter_all", "pay_cod", "filter_all", "订单列表「货到付款」共N条")
RESHIP = OrderList("reship_orders", "filter_all", "filter_all", "type_reship", "订单列表「补发」共N条")
Action = Callable[[], Awaitable[Any]]
RowHandler = Callable[[FlowContext, dict[str, Any]], list[Finding]]


class AdminFlow:
    key = "admin"

    def __init__(self) -> None:
        self.required: dict[str, list[str]] = {
            "urls": ["login", "home", "orders", "order_detail", "stock"],
            "api": ["orders", "stock"],
            "texts": ["login_path", "envelope_ok", "session_expired_states", "session_expired", "rejected",
                      "locked", "challenge", "filter_all", "status_to_ship", "status_awaiting_payment",
                      "pay_platform", "pay_cod", "type_reship", "open_states", "to_ship_states",
                      "known_states", "cod_carrier_ok", "reship_platforms", "reship_word"],
            "selectors.login": ["username", "password", "captcha", "submit", "error"],
            "selectors.home": ["logout", "announcement", "announcement_close"],
            "selectors.orders": ["table", "page_size", "query", "next", "status", "pay_type", "order_type"],
            "selectors.stock": ["table", "page_size", "next"],
        }

    # -- session --------------------------------------------------------------------------------

    async def open(self, ctx: FlowContext) -> None:
        await goto(ctx, ctx.url("home"), login_marker=_login_marker(ctx))
        await _on_home(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await goto(ctx, ctx.url("login"), login_marker=None)
        if _is_home(ctx, ctx.page.url):  # the saved session is still good: /login sends us home
            await _on_home(ctx)
            return
        await require(ctx.sel("login", "username"), "login.username")
        await ctx.sel("login", "username").fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        if await ctx.sel("login", "captcha").first.is_visible():
            await _human_step(ctx, human, "图片验证码")
            return
        message = await _submit(ctx)
        if message is not None:
            await _refused(ctx, message, human)
            return
        if not _is_home(ctx, ctx.page.url):
            raise SessionExpired(f"{SITE}: logged in, but the site asked to log in again at once")
        await _on_home(ctx)

    # -- lists ----------------------------------------------------------------------------------

    async def collect(self, ctx: FlowContext) -> None:
        await _watch_announcement(ctx)
        stock = await self._stock(ctx)
        await self._orders(ctx, stock)

    async def _stock(self, ctx: FlowContext) -> dict[str, Parsed[int]]:
        first = await _json(ctx, "stock", lambda: _goto(ctx, "stock"))
        _data(ctx, first, "stock")  # an expired session answers here first
        await require(ctx.sel("stock", "table"), "stock.table", timeout_ms=_SHELL_MS)
        first = await _largest_page_size(ctx, "stock", "stock") or first
        stock: dict[str, Parsed[int]] = {}

        def keep(_: FlowContext, row: dict[str, Any]) -> list[Finding]:
            stock[clean_text(row.get("syt_sku"))] = integer(row.get("stock"))
            return []

        await _page_through(ctx, "stock", "stock", "库存列表 共N条", first, keep, ctx.sel("stock", "next"))
        return stock

    async def _orders(self, ctx: FlowContext, stock: dict[str, Parsed[int]]) -> None:
        """The order views share one page with filters; each tab opens it once, then queries."""
        views: list[tuple[OrderList, RowHandler]] = [
            (TO_SHIP, lambda c, row: _to_ship_findings(c, row, stock)),
            (AWAITING_PAYMENT, _rx_finding),
            (COD, _cod_finding),
            (RESHIP, _reship_finding),
        ]
        opened: set[Page] = set()

        async def read(lane: FlowContext, view_and_handler: tuple[OrderList, RowHandler]) -> None:
            if lane.page not in opened:
                await _open_orders(lane)
                opened.add(lane.page)
            await _read_view(lane, *view_and_handler)

        await side_by_side(ctx, each(read, views), prepare=_watch_announcement)


async def _watch_announcement(ctx: FlowContext) -> None:
    """The announcement may also cover a list page: close it whenever it is in the way."""
    announcement = ctx.sel("home", "announcement").first
    close = ctx.sel("home", "announcement_close", announcement).first
    await close_whenever(ctx.page, "announcement", announcement, close)


async def _open_orders(ctx: FlowContext) -> None:
    _data(ctx, await _json(ctx, "orders", lambda: _goto(ctx, "orders")), "orders")
    await require(ctx.sel("orders", "table"), "orders.table", timeout_ms=_SHELL_MS)
    resized = await _largest_page_size(ctx, "orders", "orders")
    if resized is not None:
        _data(ctx, resized, "orders")


async def _read_view(ctx: FlowContext, view: OrderList, handler: RowHandler) -> None:
    for field, option in (("status", view.status), ("pay_type", view.pay_type),
                          ("order_type", view.order_type)):
        await ctx.sel("orders", field).select_option(label=_text(ctx, option))
    first = await _json(ctx, "orders", ctx.sel("orders", "query").first.click)
    await _page_through(ctx, "orders", view.name, view.source, first, handler, ctx.sel("orders", "next"))


# -- session helpers ----------------------------------------------------------------------------


def _login_marker(ctx: FlowContext) -> str:
    return _text(ctx, "login_path")


async def _goto(ctx: FlowContext, url_name: str) -> None:
    await goto(ctx, ctx.url(url_name), login_marker=_login_marker(ctx))


def _text(ctx: FlowContext, name: str) -> str:
    return ctx.locators.text(name)[0]


def _is_home(ctx: FlowContext, url: str) -> bool:
    return url.split("?", 1)[0].split("#", 1)[0] == ctx.url("home")


async def _submit(ctx: FlowContext, timeout_ms: float = 20_000) -> str | None:
    """Submit the login form: None once the page leaves for another, else the message it shows.

    The form posts by XHR and the page script navigates on success, too soon for the answer's body
    to be read; so the flow watches what a person sees: a new page, or a message under the form.
    """
    start = ctx.page.url
    message = ctx.sel("login", "error").filter(has_text=_NOT_BLANK).first
    await ctx.sel("login", "submit").first.click()
    left = asyncio.ensure_future(
        ctx.page.wait_for_url(lambda url: url != start, wait_until="domcontentloaded", timeout=timeout_ms)
    )
    shown = asyncio.ensure_future(message.wait_for(state="visible", timeout=timeout_ms))
    try:
        await asyncio.wait({left, shown}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (left, shown):
            task.cancel()
        await asyncio.gather(left, shown, return_exceptions=True)
    if left.done() and not left.cancelled() and left.exception() is None:
        return None
    if shown.done() and not shown.cancelled() and shown.exception() is None:
        return clean_text(await message.inner_text())
    raise SiteUnavailable(f"{SITE}: no answer to the login within {timeout_ms / 1000:.0f} s")


async def _on_home(ctx: FlowContext) -> None:
    """On the dashboard: check we are logged in and close the announcement if it shows."""
    await require(ctx.sel("home", "logout"), "home.logout")
    dialog = ctx.sel("home", "announcement").first
    if await dialog.is_visible():
        close = await require(ctx.sel("home", "announcement_close", dialog), "home.announcement_close",
                              timeout_ms=5_000)
        await close.first.click()
        await dialog.wait_for(state="hidden")


async def _human_step(ctx: FlowContext, human: HumanWait | None, what: str) -> None:
    if human is None:
        raise LoginChallenge(f"{SITE} asks for {what}; a person must log in once")
    human.tell(f"{SITE}：请在浏览器窗口中输入{what}并点击登录，完成后会自动继续。")
    try:
        await ctx.page.wait_for_url(lambda url: _is_home(ctx, url), wait_until="domcontentloaded",
                                    timeout=human.timeout_s * 1000)
    except PlaywrightTimeout:
        raise LoginChallenge(f"{SITE}: no login completed within {human.timeout_s:.0f} s") from None
    await _on_home(ctx)


async def _refused(ctx: FlowContext, message: str, human: HumanWait | None) -> None:
    if any(t in message for t in ctx.locators.text("locked")):
        raise AccountLocked(f"{SITE}: the account is locked: {message}")
    if any(t in message for t in ctx.locators.text("rejected")):
        raise LoginRejected(f"{SITE} refused the login: {message}")
    if any(t in message for t in ctx.locators.text("challenge")):
        await _human_step(ctx, human, "图片验证码")
        return
    raise SiteUnavailable(f"{SITE}: login answered {message or 'an unknown state'}")


async def _json(ctx: FlowContext, api: str, action: Action) -> Any:
    """`json_from`, telling an expired session from a broken site when the answer was lost.

    On "登录超时" the page shows the message and leaves for the login page; if that happens before
    the answer's body could be read, the login page or the message is what is left to see.
    """
    try:
        return await json_from(ctx, api, action)
    except SiteUnavailable:
        expired = ctx.page.get_by_text(_any_of(ctx.locators.text("session_expired"))).first
        if _login_marker(ctx) in ctx.page.url or await expired.is_visible():
            raise SessionExpired(f"{SITE}: 登录超时 (sent back to the login page)") from None
        raise


def _any_of(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


def _state_of(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict):
        raise SiteUnavailable(f"{SITE}: the answer is not a {{state, msg, data}} envelope")
    return str(body.get("state")), clean_text(body.get("msg"))


def _data(ctx: FlowContext, body: Any, api: str) -> dict[str, Any]:
    """Unwrap {state, msg, data}; state 401 / "登录超时" is SessionExpired, other states an error."""
    state, message = _state_of(body)
    if state == _text(ctx, "envelope_ok"):
        data = body.get("data")
        if isinstance(data, list) and not data:  # PHP encodes an empty result as []
            return {"list": [], "total": "0"}
        if isinstance(data, dict):
            return data
        raise SiteUnavailable(f"{api}: data is neither a list page nor empty")
    if state in ctx.locators.text("session_expired_states") or any(
        t in message for t in ctx.locators.text("session_expired")
    ):
        raise SessionExpired(f"{SITE}: {message or 'session expired'} (state {state})")
    raise SiteUnavailable(f"{api}: state {state} {message}")


# -- paging -------------------------------------------------------------------------------------


async def _largest_page_size(ctx: FlowContext, page: str, api: str) -> dict[str, Any] | None:
    """Choose the largest page size the page-size select offers; the reload's JSON, if any."""
    select = (await require(ctx.sel(page, "page_size"), f"{page}.page_size", timeout_ms=_SHELL_MS)).first
    values: list[str] = await select.evaluate("(el) => Array.from(el.options, (o) => o.value)")
    sizes = sorted(int(v) for v in values if v.isdigit())
    if not sizes:
        raise LayoutChanged([f"{page}.page_size options"])
    wanted = ctx.options.page_size if ctx.options.page_size in sizes else sizes[-1]
    if await select.input_value() == str(wanted):
        return None
    body = await _json(ctx, api, lambda: select.select_option(str(wanted)))
    return body if isinstance(body, dict) else None


def _row_key(row: dict[str, Any]) -> str:
    return clean_text(row.get("order_no") or row.get("syt_sku"))


async def _page_through(
    ctx: FlowContext, api: str, name: str, source: str, first: Any, handle: RowHandler, next_button: Locator
) -> None:
    """Record every page of a list into the sink, from the first page's JSON to the last."""
    body, number = first, 1
    while True:
        data = _data(ctx, body, api)
        rows = [r for r in data.get("list") or [] if isinstance(r, dict)]
        total = integer(data.get("total"))
        if number == 1:
            ctx.sink.open_list(name, total.value, source)
        if _int(data.get("page"), number) != number:
            raise SiteUnavailable(f"{api}: asked for page {number}, got page {data.get('page')}")
        for row in ctx.sink.fresh_rows(name, rows, _row_key):
            for finding in handle(ctx, row):
                ctx.sink.add(finding)
        size = _int(data.get("size"), len(rows))
        if not rows or len(rows) < size or total.value is None or number * size >= total.value:
            break
        number += 1
        body = await _json(ctx, api, page_turn(ctx, next_button.first))
    ctx.sink.close_list(name)


def _int(raw: Any, default: int) -> int:
    parsed = integer(raw)
    return parsed.value if parsed.value is not None else default


# -- rows to findings ---------------------------------------------------------------------------


def _draft(ctx: FlowContext, category: Category, row: dict[str, Any]) -> FindingDraft:
    order_no = clean_text(row.get("order_no"), 64)
    draft = FindingDraft(ctx.platform, ctx.account, category, order_no)
    draft.take("amount_yuan", yuan(row.get("amount")))
    draft.take("created_at", local_datetime(row.get("created_at"), ctx.tz))
    customer = " ".join(clean_text(row.get(k)) for k in ("consignee", "mobile", "address"))
    return draft.set(
        item=_items_text(row),
        status_text=clean_text(row.get("state_text")),
        buyer_memo=clean_text(row.get("user_remark")),
        customer=clean_text(customer),
        link=ctx.link("order_detail", order_no=order_no) if order_no else "",
    )


def _items(row: dict[str, Any], draft: FindingDraft | None = None) -> list[dict[str, Any]]:
    items = row.get("items")
    if not isinstance(items, list):
        if draft is not None:
            draft.problems.append(f"items: not a list: {str(items)[:60]!r}")
            draft.raw["items"] = str(items)
        return []
    return [i for i in items if isinstance(i, dict)]


def _items_text(row: dict[str, Any]) -> str:
    parts = [f"{clean_text(i.get('name'))} {clean_text(i.get('spec'))} ×{clean_text(i.get('qty'))}"
             for i in _items(row)]
    return "、".join(p.strip() for p in parts)


def _to_ship_findings(ctx: FlowContext, row: dict[str, Any], stock: dict[str, Parsed[int]]) -> list[Finding]:
    waiting = _draft(ctx, Category.AWAITING_SHIPMENT, row)
    ctx.sink.fact(FactKind.AWAITING_SHIPMENT, waiting.order_no, cod="false")
    waiting.set(detail=" · ".join(clean_text(row.get(k)) for k in ("pay_type_text", "carrier") if row.get(k)))
    short = _draft(ctx, Category.STOCK_SHORTAGE, row)
    lines: list[str] = []
    for n, item in enumerate(_items(row, waiting)):
        name, sku = clean_text(item.get("name")), clean_text(item.get("syt_sku"))
        qty = integer(item.get("qty"))
        if qty.value is None:
            waiting.take(f"items[{n}].qty", qty)
            continue
        available = stock.get(sku)
        if available is None or available.value is None:
            lines.append(f"{name}（{sku or '无SKU'}）库存未知 < 订购 {qty.value}")
            short.problems.append(f"stock: no readable stock for SKU {sku!r}")
        elif qty.value > available.value:
            lines.append(f"{name} 库存 {available.value} < 订购 {qty.value}")
    findings = [waiting.build()]
    if lines:
        findings.append(short.set(detail="；".join(lines)).build())
    return findings


def _is_rx(value: Any) -> bool | None:
    text = str(value).strip().lower()
    if text in ("1", "true"):
        return True
    if text in ("0", "false", "", "none"):
        return False
    return None


def _rx_finding(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    draft = _draft(ctx, Category.RX_AWAITING_PAYMENT, row)
    items = _items(row, draft)
    rx = [clean_text(i.get("name")) for i in items if _is_rx(i.get("is_rx"))]
    unclear = [i for i in items if _is_rx(i.get("is_rx")) is None]
    for item in unclear:
        name = clean_text(item.get("name"))
        draft.problems.append(f"is_rx unparseable for {name!r}: {item.get('is_rx')!r}")
    if not rx and not unclear and isinstance(row.get("items"), list):
        return []  # no prescription drug in a readable item list
    what = "、".join(rx) or "无法判断"
    return [draft.set(detail=f"待付款订单含处方药：{what}").build()]


def _open_state(ctx: FlowContext, row: dict[str, Any], draft: FindingDraft) -> bool:
    state = clean_text(row.get("state"))
    if state not in ctx.locators.text("known_states"):
        draft.problems.append(f"state unrecognised: {state[:20]!r}")
        draft.raw["state"] = state
        return True
    return state in ctx.locators.text("open_states")


def _cod_finding(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    draft = _draft(ctx, Category.COD_NOT_ZTO, row)
    carrier = clean_text(row.get("carrier"))
    if clean_text(row.get("state")) in ctx.locators.text("to_ship_states"):
        ctx.sink.fact(FactKind.AWAITING_SHIPMENT, draft.order_no, cod="true", carrier=carrier)
    if not _open_state(ctx, row, draft) or any(ok in carrier for ok in ctx.locators.text("cod_carrier_ok")):
        return []
    wanted = ctx.locators.text("cod_carrier_ok")[0]
    return [draft.set(detail=f"货到付款订单快递为「{carrier or '未指定'}」，应为{wanted}").build()]


def _reship_finding(ctx: FlowContext, row: dict[str, Any]) -> list[Finding]:
    draft = _draft(ctx, Category.RESHIP_REMARK_MALFORMED, row)
    if not _open_state(ctx, row, draft):
        return []
    remark = clean_text(row.get("admin_remark"))
    products = [clean_text(i.get("name")) for i in _items(row, draft)]
    verdict = check_reship_remark(
        remark, ctx.locators.text("reship_platforms"), _text(ctx, "reship_word"), products
    )
    if verdict.ok:
        return []
    shown = f"：「{remark}」" if remark else ""
    return [draft.set(detail=f"补发备注不合格式（{verdict.reason}）{shown}").build()]


FLOW = AdminFlow()
