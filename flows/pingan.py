"""平安健康 (jk.cn) seller console: a hash-routed SPA that loads every view through one gateway.

The console posts signed forms to `/m.api?_mt=<method>` and gets `{stat: {code, stateList},
content: [result]}` back; the flow drives the pages like a person (open the view, pick the largest
page size, press 下一页) and reads the gateway answer each step causes, never the table cells.
Times are unix ms and money is fen. An invalid token is a negative `stat.code` with HTTP 200.

Lists, reconciled against the home page's 待办 counters:
    待接单订单   orders not yet accepted: overdue / due soon by 承诺发货时间, else awaiting shipment
    待发货订单   overdue / due soon; comfortable ones are counted, not reported
    待处理售后   refunds waiting for the merchant: due soon by 处理截止时间, else refund waiting
    待审核处方   prescriptions awaiting the pharmacist's review
    待处理投诉   complaints waiting
Login needs a human whenever the site shows its image captcha.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper import pageops
from sweeper.errors import AccountLocked, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FactKind, Finding
from sweeper.page_turns import page_turn
from sweeper.parsing import FindingDraft, clean_text, fen_to_yuan, integer, unix_millis
from sweeper.popups import close_whenever
from sweeper.side_by_side import each, side_by_side

Json = dict[str, Any]
RowReader = Callable[[FlowContext, Json], Finding | None]


# --- the gateway ---------------------------------------------------------------------------------


def _content(ctx: FlowContext, api: str, body: Any) -> Json:
    """The first result of a gateway answer; the envelope's codes become the runner's errors."""
    stat = body.get("stat") if isinstance(body, dict) else None
    if not isinstance(stat, dict):
        raise SiteUnavailable(f"{api}: the gateway answered without a stat block")
    code = stat.get("code")
    if str(code) in ctx.locators.text("token_invalid_codes"):
        raise SessionExpired(f"{ctx.platform}/{ctx.account}: the site says the login expired ({code})")
    states = stat.get("stateList") or [{}]
    state = states[0] if isinstance(states[0], dict) else {}
    if code != 0 or state.get("code", 0) != 0:
        message = clean_text(state.get("msg") or stat.get("msg"), 120)
        raise SiteUnavailable(f"{api}: gateway code {code}/{state.get('code')} {message}".strip())
    content = body.get("content")
    if not isinstance(content, list) or not content or not isinstance(content[0], dict):
        raise SiteUnavailable(f"{api}: the gateway answered without content")
    result: Json = content[0]
    return result


async def _gateway(ctx: FlowContext, api: str, action: Callable[[], Awaitable[Any]]) -> Json:
    try:
        body = await pageops.json_from(ctx, api, action)
    except SiteUnavailable:
        # The console may already have left for its login page, taking the answer with it.
        pageops.ensure_not_on_login(ctx, ctx.locators.text("login_path")[0])
        raise
    return _content(ctx, api, body)


def _goto(ctx: FlowContext, url: str) -> Callable[[], Awaitable[Any]]:
    marker = ctx.locators.text("login_path")[0]
    return lambda: pageops.goto(ctx, url, login_marker=marker)


async def _settled(ctx: FlowContext) -> None:
    """The view has rendered the answer it asked for (Element's loading mask is gone)."""
    try:
        await ctx.sel("list", "loading").first.wait_for(state="hidden")
    except PlaywrightTimeout:
        raise SiteUnavailable("the list kept loading") from None


# --- home and login ------------------------------------------------------------------------------


async def _settle_home(ctx: FlowContext) -> None:
    """The 待办 panel is up and the announcement, if any, is dismissed."""
    await pageops.require(ctx.sel("home", "todo"), "home.todo")
    notice = ctx.sel("home", "announcement")
    if await notice.is_visible():
        await ctx.sel("home", "announcement_close", root=notice).click()
        await notice.wait_for(state="hidden")


def _classify_refusal(ctx: FlowContext, message: str) -> str:
    for kind in ("locked", "rejected", "session_lost", "challenge"):
        if any(text in message for text in ctx.locators.text(kind)):
            return kind
    return "unknown"


# --- rows → findings -----------------------------------------------------------------------------


def _text(row: Json, key: str) -> str:
    return clean_text(row.get(key))


def _draft(ctx: FlowContext, order_no: Any) -> FindingDraft:
    return FindingDraft(ctx.platform, ctx.account, Category.AWAITING_SHIPMENT, clean_text(order_no, 64))


def _ship_category(ctx: FlowContext, deadline: datetime | None, accept: bool) -> Category | None:
    if deadline is None:
        return Category.AWAITING_SHIPMENT  # unreadable deadline: kept, flagged
    if deadline <= ctx.now:
        return Category.OVERDUE_SHIPMENT
    if deadline - ctx.now <= ctx.options.ship_due_soon:
        return Category.SHIPMENT_DUE_SOON
    return Category.AWAITING_SHIPMENT if accept else None


def _goods(items: Any) -> str:
    if not isinstance(items, list):
        return clean_text(items)
    parts = [
        f"{clean_text(i.get('skuName'))} {clean_text(i.get('spec'))} ×{clean_text(i.get('quantity'))}"
        for i in items if isinstance(i, dict)
    ]
    return "；".join(parts)


_RECEIVER = ("receiverName", "receiverMobile", "receiverAddress")


def _order_reader(accept: bool) -> RowReader:
    def read(ctx: FlowContext, row: Json) -> Finding | None:
        draft = _draft(ctx, row.get("orderId"))
        ctx.sink.fact(FactKind.AWAITING_SHIPMENT, draft.order_no)
        deadline = draft.take("deadline_at", unix_millis(row.get("promiseDeliveryTime")))
        draft.take("amount_yuan", fen_to_yuan(row.get("payAmount")))
        draft.take("created_at", unix_millis(row.get("createTime")))
        category = _ship_category(ctx, deadline, accept)
        if category is None and not draft.problems:
            return None  # comfortable: counted in the tally, nothing to do yet
        draft.category = category or Category.AWAITING_SHIPMENT
        customer = " ".join(clean_text(row.get(k)) for k in _RECEIVER)
        draft.set(
            item=_goods(row.get("items")),
            status_text=clean_text(row.get("orderStatusDesc")),
            buyer_memo=clean_text(row.get("buyerMemo")),
            customer=customer.strip(),
            detail="处方药订单" if row.get("isRx") is True else "",
            link=ctx.link("order_detail", order_id=draft.order_no),
        )
        return draft.build()

    return read


def _refund(ctx: FlowContext, row: Json) -> Finding:
    draft = _draft(ctx, row.get("orderId") or row.get("refundId"))
    deadline = draft.take("deadline_at", unix_millis(row.get("handleDeadline")))
    draft.take("amount_yuan", fen_to_yuan(row.get("refundAmount")))
    draft.take("created_at", unix_millis(row.get("applyTime")))
    soon = deadline is not None and deadline - ctx.now <= ctx.options.aftersale_due_soon
    draft.category = Category.AFTERSALE_DUE_SOON if soon else Category.REFUND_WAITING
    refund_id = clean_text(row.get("refundId"), 64)
    draft.set(
        item=clean_text(row.get("skuName")),
        status_text=clean_text(row.get("refundStatusDesc")),
        customer=clean_text(row.get("buyerName")),
        detail=f"{_text(row, 'refundTypeDesc')}：{_text(row, 'reason')}（售后单 {refund_id}）",
        link=ctx.link("refund_detail", refund_id=refund_id),
    )
    return draft.build()


def _prescription(ctx: FlowContext, row: Json) -> Finding:
    draft = _draft(ctx, row.get("orderId") or row.get("rxId"))
    draft.category = Category.PRESCRIPTION_REVIEW
    draft.take("created_at", unix_millis(row.get("submitTime")))
    drugs = row.get("drugs")
    names = [_text(d, "name") for d in drugs if isinstance(d, dict)] if isinstance(drugs, list) else []
    rx_id = clean_text(row.get("rxId"), 64)
    draft.set(
        item="；".join(names),
        status_text=clean_text(row.get("auditStatusDesc")),
        customer=clean_text(row.get("patientName")),
        detail=f"处方 {rx_id} · {_text(row, 'diagnosis')} · {_text(row, 'doctorName')}",
        link=ctx.link("prescription_detail", rx_id=rx_id),
    )
    return draft.build()


def _complaint(ctx: FlowContext, row: Json) -> Finding:
    draft = _draft(ctx, row.get("orderId") or row.get("complaintId"))
    draft.category = Category.COMPLAINT
    draft.take("deadline_at", unix_millis(row.get("handleDeadline")))
    draft.take("created_at", unix_millis(row.get("createTime")))
    complaint_id = clean_text(row.get("complaintId"), 64)
    draft.set(
        status_text=clean_text(row.get("statusDesc")),
        customer=clean_text(row.get("buyerName")),
        detail=f"{_text(row, 'complaintType')}：{_text(row, 'content')}（投诉单 {complaint_id}）",
        link=ctx.link("complaint_detail", complaint_id=complaint_id),
    )
    return draft.build()


@dataclass(frozen=True)
class _List:
    name: str  # the tally's name in the report
    url: str  # [urls] entry of the view
    api: str  # [api] entry of its gateway method
    counter: str  # the home page's counter for it
    label: str  # that counter's caption on the home page
    read: RowReader


LISTS = (
    _List("待接单订单", "orders_to_accept", "orders", "waitAcceptCount", "待接单",
          _order_reader(accept=True)),
    _List("待发货订单", "orders_to_ship", "orders", "waitDeliverCount", "待发货",
          _order_reader(accept=False)),
    _List("待处理售后", "refunds_pending", "refunds", "refundWaitCount", "待处理售后", _refund),
    _List("待审核处方", "prescriptions_pending", "prescriptions", "rxWaitAuditCount", "待审处方",
          _prescription),
    _List("待处理投诉", "complaints_pending", "complaints", "complaintWaitCount", "待处理投诉",
          _complaint),
)


# --- paging --------------------------------------------------------------------------------------

# The pager is drawn together with the rows: once a view has settled, a missing hook is missing.
_IN_VIEW_MS = 5_000


def _page_numbers(api: str, page: Json) -> tuple[int, int, int, list[Json]]:
    total, number, size = (integer(page.get(k)) for k in ("total", "pageNo", "pageSize"))
    rows = page.get("list")
    if not (total.ok and number.ok and size.ok and isinstance(rows, list)):
        raise SiteUnavailable(f"{api}: a page without total/pageNo/pageSize/list")
    assert total.value is not None and number.value is not None and size.value is not None
    return total.value, number.value, size.value, [r if isinstance(r, dict) else {"_": r} for r in rows]


async def _largest_page_size(ctx: FlowContext, api: str, current: int) -> Json | None:
    """Pick the largest size the pager's own select offers; None when it already is the largest."""
    select = await pageops.require(ctx.sel("list", "page_size"), "list.page_size", timeout_ms=_IN_VIEW_MS)
    await select.first.click()
    options = ctx.sel("list", "page_size_option")
    await pageops.require(options, "list.page_size_option", timeout_ms=_IN_VIEW_MS)
    unit = ctx.locators.text("page_size_unit")[0]
    sizes = [integer(text.replace(unit, "")).value or 0 for text in await options.all_inner_texts()]
    best = max(range(len(sizes)), key=sizes.__getitem__)
    if sizes[best] <= current:
        await select.first.click()  # close the dropdown again
        return None
    page = await _gateway(ctx, api, options.nth(best).click)
    await _settled(ctx)
    return page


_ROW_KEYS = ("refundId", "rxId", "complaintId", "orderId")


def _row_key(row: Json) -> str:
    """A row's own number ("" when it has none)."""
    return next((str(row[k]) for k in _ROW_KEYS if row.get(k) not in (None, "")), "")


async def _watch_notice(ctx: FlowContext) -> None:
    """A notice may also come up over a list view: close it whenever it is in the way."""
    notice = ctx.sel("home", "announcement")
    close = ctx.sel("home", "announcement_close", root=notice)
    await close_whenever(ctx.page, "announcement", notice, close)


async def _read_list(ctx: FlowContext, spec: _List, expected: int | None) -> None:
    ctx.sink.open_list(spec.name, expected, source=f"首页「{spec.label}」")
    page = await _gateway(ctx, spec.api, _goto(ctx, ctx.url(spec.url)))
    await _settled(ctx)
    total, number, size, rows = _page_numbers(spec.api, page)
    if total > len(rows):
        page = await _largest_page_size(ctx, spec.api, size) or page
        total, number, size, rows = _page_numbers(spec.api, page)
    while True:
        for finding in (spec.read(ctx, row) for row in ctx.sink.fresh_rows(spec.name, rows, _row_key)):
            if finding is not None:
                ctx.sink.add(finding)
        if not rows or number * size >= total:
            break
        after = number
        next_button = ctx.sel("list", "next")
        if after == 1:  # drawn with the rows: missing now means the layout changed
            await pageops.require(next_button, "list.next", timeout_ms=_IN_VIEW_MS)
        # No wait for the loading mask between pages: the answer is in hand, a real click waits
        # until the button takes it, and a dispatched one passes under the mask (a look at the
        # mask would be a round trip per page).
        page = await _gateway(ctx, spec.api, page_turn(ctx, next_button.first))
        total, number, size, rows = _page_numbers(spec.api, page)
        if number != after + 1:
            raise SiteUnavailable(f"{spec.name}: asked for page {after + 1}, got page {number}")
    ctx.sink.close_list(spec.name)
    ctx.log.info("list read", list=spec.name, rows=ctx.sink.lists[spec.name].rows_read, expected=expected)


# --- the flow ------------------------------------------------------------------------------------


class PinganFlow:
    key = "pingan"
    required: ClassVar[dict[str, list[str]]] = {
        "urls": ["home", "login", "order_detail", "refund_detail", "prescription_detail",
                 "complaint_detail", *(spec.url for spec in LISTS)],
        "api": ["user_info", "dashboard", "orders", "refunds", "prescriptions", "complaints"],
        "texts": ["login_path", "token_invalid_codes", "challenge", "rejected", "locked", "session_lost",
                  "page_size_unit"],
        "selectors.login": ["username", "password", "captcha", "submit", "error"],
        "selectors.home": ["todo", "announcement", "announcement_close"],
        "selectors.list": ["loading", "page_size", "page_size_option", "next"],
    }

    async def open(self, ctx: FlowContext) -> None:
        """Load the console; its token check says whether the saved session still counts."""
        if ctx.page.url.startswith(ctx.url("home")) and await ctx.sel("home", "todo").first.is_visible():
            return  # a login just opened the console: the token is good, `collect` reloads it anyway
        await _gateway(ctx, "user_info", _goto(ctx, ctx.url("home")))
        await _settle_home(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await self._open_login(ctx)
        username = await pageops.require(ctx.sel("login", "username"), "login.username")
        await username.fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        if not await ctx.sel("login", "captcha").is_visible():
            await ctx.sel("login", "submit").click()
            if await self._submitted(ctx):
                return
        await self._human_step(ctx, human)

    async def collect(self, ctx: FlowContext) -> None:
        counts = await _gateway(ctx, "dashboard", _goto(ctx, ctx.url("home")))
        await _settle_home(ctx)
        await _watch_notice(ctx)

        async def read(lane: FlowContext, spec: _List) -> None:
            await _read_list(lane, spec, integer(counts.get(spec.counter)).value)

        await side_by_side(ctx, each(read, LISTS), prepare=_watch_notice)

    async def _open_login(self, ctx: FlowContext) -> None:
        url = ctx.url("login")
        for again in (True, False):
            try:
                response = await ctx.page.goto(url, wait_until="domcontentloaded")
                break
            except PlaywrightError as exc:
                # A console that found its token dead leaves for the login page on its own; that
                # navigation can abort ours. Go once more: both lead to the same page.
                if again and "ERR_ABORTED" in exc.message:
                    continue
                first = exc.message.splitlines()[0]
                raise SiteUnavailable(f"could not open the login page: {first}") from exc
        if response is not None and response.status >= 500:
            raise SiteUnavailable(f"login page: HTTP {response.status}")

    async def _submitted(self, ctx: FlowContext) -> bool:
        """True when the console opened; False when the site asks for the captcha; else raise.

        The login page leaves for the console as soon as it has the token, so the outcome is
        read from the page (console or error line), not from the login answer's body.
        """
        error = ctx.sel("login", "error")
        outcomes = {"home": ctx.sel("home", "todo"), "error": error}
        outcome = await pageops.first_visible(outcomes, timeout_ms=30_000)
        if outcome == "home":
            await _settle_home(ctx)
            return True
        if outcome is None:
            raise SiteUnavailable("login: neither the console nor an error message appeared")
        message = clean_text(await error.first.inner_text(), 200)
        kind = _classify_refusal(ctx, message)
        if kind == "locked":
            raise AccountLocked(f"{ctx.platform}/{ctx.account}: {message}")
        if kind == "rejected":
            raise LoginRejected(f"{ctx.platform}/{ctx.account}: {message}")
        if kind == "session_lost":
            raise SessionExpired(f"{ctx.platform}/{ctx.account}: the token died at once ({message})")
        if kind != "challenge":
            raise SiteUnavailable(f"login: {message}")
        return False

    async def _human_step(self, ctx: FlowContext, human: HumanWait | None) -> None:
        if human is None:
            raise LoginChallenge(
                f"{ctx.platform}/{ctx.account}: the login asks for the image captcha (验证码)"
            )
        await pageops.require(ctx.sel("login", "captcha"), "login.captcha")
        human.tell(f"{ctx.locators.site.name}：请在浏览器窗口中输入图片验证码，然后点击「登录」。")
        try:
            await ctx.sel("home", "todo").first.wait_for(state="visible", timeout=human.timeout_s * 1000)
        except PlaywrightTimeout:
            raise LoginChallenge(
                f"{ctx.platform}/{ctx.account}: nobody completed the captcha within {human.timeout_s:.0f} s"
            ) from None
        await _settle_home(ctx)


FLOW = PinganFlow()
