"""315价格网 merchant centre (www.315jiage.cn/Member/): orders, refunds and buyer messages.

Built without knowledge of the real merchant back-end; WebForms conventions are assumed [I]
(docs/platforms.md §6, §10.5). What it collects:

    订单管理 · 待发货     OVERDUE_SHIPMENT / SHIPMENT_DUE_SOON (ship rule in flows/jiage315_rows.py),
                          and an AWAITING_SHIPMENT fact (with cod) for every row, for the WMS check
    退款管理 · 待处理     REFUND_WAITING, or AFTERSALE_DUE_SOON within `aftersale_due_soon`
    留言管理 · 未回复     BUYER_MESSAGE

Login is a WebForms postback on Login.aspx (an image captcha, when shown, needs a person); lists
are GridViews paged by postback (flows/jiage315_grid.py, flows/jiage315_pages.py), each read to
its end at the largest page size and reconciled with the page's own "共 N 条记录".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.jiage315_grid import (
    PRESENT_MS,
    GridList,
    check_page,
    load,
    on_login_page,
    postback,
    text,
)
from flows.jiage315_pages import read_list
from flows.jiage315_rows import message_findings, order_findings, refund_findings
from sweeper import pageops
from sweeper.errors import AccountLocked, LoginChallenge, LoginRejected, SessionExpired
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.parsing import clean_text
from sweeper.side_by_side import each, side_by_side

LISTS = (
    GridList("orders_to_ship", "orders", "orders_filter", "col_order_no",
             ("col_order_no", "col_created", "col_paid", "col_goods", "col_amount", "col_consignee",
              "col_pay_type", "col_memo", "col_order_status"), order_findings),
    GridList("refunds_waiting", "refunds", "refunds_filter", "col_refund_no",
             ("col_refund_no", "col_order_no", "col_goods", "col_refund_amount", "col_refund_kind",
              "col_refund_reason", "col_applied", "col_refund_status"), refund_findings),
    GridList("messages_unanswered", "messages", "messages_filter", "col_msg_no",
             ("col_msg_no", "col_member", "col_msg_goods", "col_message", "col_sent", "col_related_order",
              "col_reply_status"), message_findings),
)


async def _logged_in(ctx: FlowContext) -> None:
    await pageops.require(ctx.sel("home", "logged_in"), "home.logged_in", timeout_ms=PRESENT_MS)


async def _human_step(ctx: FlowContext, human: HumanWait | None) -> None:
    site = ctx.locators.site.name
    if human is None:
        raise LoginChallenge(f"{site} asks for the image captcha (验证码); a person must log in once")
    marker = text(ctx, "login_path").lower()
    human.tell(f"{site}：请在浏览器窗口中输入图片验证码，然后点击“登 录”，完成后会自动继续。")
    try:
        await ctx.page.wait_for_url(lambda url: marker not in url.lower(), wait_until="domcontentloaded",
                                    timeout=human.timeout_s * 1000)
    except PlaywrightTimeout:
        raise LoginChallenge(f"no one completed the {site} captcha within {human.timeout_s:.0f} s") from None
    await check_page(ctx, None, "after the captcha")
    await _logged_in(ctx)


async def _refused(ctx: FlowContext, human: HumanWait | None) -> None:
    """Still on Login.aspx after the postback: say why, from the message label."""
    label = ctx.sel("login", "message")
    message = clean_text(await label.first.inner_text()) if await label.count() else ""
    site = ctx.locators.site.name
    if any(word in message for word in ctx.locators.text("locked")):
        raise AccountLocked(f"{site}: the account is locked: {message}")
    if any(word in message for word in ctx.locators.text("rejected")):
        raise LoginRejected(f"{site} refused the login: {message}")
    if any(word in message for word in ctx.locators.text("challenge")) or await ctx.sel(
        "login", "captcha"
    ).is_visible():
        await _human_step(ctx, human)
        return
    if message:
        raise LoginRejected(f"{site} refused the login: {message}")
    raise SessionExpired(f"{site} showed its login page again right after logging in")


class Jiage315Flow:
    key = "jiage315"
    required: Mapping[str, Sequence[str]] = MappingProxyType({
        "urls": ["login", "home", *(s.page for s in LISTS), "order_detail", "refund_detail",
                 "message_detail"],
        "texts": sorted({
            "login_path", "rejected", "locked", "challenge", "pager_argument", "record_count",
            "ship_within_hours", "refund_within_hours", "ship_waiting", "pay_cod", "pay_online",
            *(s.status_option for s in LISTS), *(c for s in LISTS for c in s.columns),
        }),
        "selectors.login": ["username", "password", "captcha", "submit", "message"],
        "selectors.home": ["logged_in"],
        "selectors.list": ["page_size", "record_count", "column_titles", "rows", "pager_links", "form"],
        **{f"selectors.{s.page}": ["grid", "status"] for s in LISTS},
        "selectors.common": ["server_error", "error_message"],
    })

    async def open(self, ctx: FlowContext) -> None:
        await load(ctx, ctx.url("home"), "Default.aspx")
        await _logged_in(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await load(ctx, ctx.url("login"), "Login.aspx", login_ok=True)
        if not on_login_page(ctx):  # the ticket is still good: Login.aspx sends us in
            await _logged_in(ctx)
            return
        username = ctx.sel("login", "username")
        await pageops.require(username, "login.username", timeout_ms=PRESENT_MS)
        await username.first.fill(creds.username)
        await ctx.sel("login", "password").fill(creds.password.get_secret_value())
        if await ctx.sel("login", "captcha").is_visible():
            await _human_step(ctx, human)
            return
        await postback(ctx, ctx.sel("login", "submit").first.click, "Login.aspx", login_ok=True)
        if on_login_page(ctx):
            await _refused(ctx, human)
            return
        await _logged_in(ctx)

    async def collect(self, ctx: FlowContext) -> None:
        await side_by_side(ctx, each(read_list, LISTS))


FLOW = Jiage315Flow()
