"""寻医问药 store admin (storeadmin.wksc.xywy.com), the seller back-end of 闻康商城.

No public facts exist about this site (docs/platforms.md §5, §10.5): the flow is written against the
replica's invented pages [I], with every URL, text and hook in selectors/xywy.toml so an operator can
fix them from the first real login without touching code.

Lists, each read to its end at the largest page size, from the JSON the page itself receives:
  to_ship    订单 tab 待发货        fact AWAITING_SHIPMENT (cod) for every order; OVERDUE_SHIPMENT past
                                  the 承诺发货时间, SHIPMENT_DUE_SOON within `options.ship_due_soon`
  refunds    退款 tab 退款中        REFUND_WAITING for cases waiting for the shop, AFTERSALE_DUE_SOON
                                  when 处理截止 is within `options.aftersale_due_soon`
  consults   咨询 tab 未回复        BUYER_MESSAGE
Each list is reconciled with its own total and with the dashboard counter (待发货, 退款中, 未回复咨询).

Login: username + password; a 4-character image captcha may show (unknown device, a failed attempt):
a flow cannot read it, so without a person that is LoginChallenge, with one the flow waits until the
browser leaves the login page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.xywy_lists import SHELL_MS, SITE, ListSpec, login_marker, read_counters, read_list
from flows.xywy_rows import consult_findings, refund_findings, to_ship_findings
from sweeper.errors import AccountLocked, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.pageops import goto, require
from sweeper.parsing import clean_text
from sweeper.popups import close_whenever
from sweeper.side_by_side import each, side_by_side

LISTS = (
    ListSpec("to_ship", "to_ship", "orders", "order_table", "counter_to_ship", "orderSn", to_ship_findings),
    ListSpec("refunds", "refunds_open", "refunds", "refund_table", "counter_refunds", "refundSn",
             refund_findings),
    ListSpec("consults", "consults_unreplied", "consults", "consult_table", "counter_consults", "consultSn",
             consult_findings),
)


def _on_login(ctx: FlowContext) -> bool:
    return login_marker(ctx) in ctx.page.url


async def _on_home(ctx: FlowContext) -> None:
    """On the dashboard: check we are logged in and close the announcement if it shows."""
    await require(ctx.sel("home", "logged_in"), "home.logged_in")
    notice = ctx.sel("home", "notice").first
    if await notice.is_visible():
        close = ctx.sel("home", "notice_close", notice)
        await (await require(close, "home.notice_close", timeout_ms=SHELL_MS)).first.click()
        await notice.wait_for(state="hidden")


async def _fill(ctx: FlowContext, creds: Credentials) -> None:
    await (await require(ctx.sel("login", "username"), "login.username", timeout_ms=SHELL_MS)).first.fill(
        creds.username
    )
    await ctx.sel("login", "password").first.fill(creds.password.get_secret_value())


async def _submit(ctx: FlowContext) -> None:
    """Post the form; the server answers with a redirect: to the target, or back to /login?error."""
    try:
        async with ctx.page.expect_navigation(wait_until="domcontentloaded") as navigation:
            await ctx.sel("login", "submit").first.click()
        response = await navigation.value
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(f"{SITE}: no answer to the login") from exc
    if response is not None and response.status >= 500:
        raise SiteUnavailable(f"{SITE}: login answered HTTP {response.status}")


async def _human_step(ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
    """The image captcha: only a person can read it. Without one, say so; with one, wait (bounded)."""
    if human is None:
        raise LoginChallenge(f"{SITE} asks for the image captcha (验证码); a person must log in once")
    if not await ctx.sel("login", "username").first.input_value():
        await _fill(ctx, creds)  # the form came back empty after a refused attempt
    human.tell(f"{SITE}：请在浏览器窗口中输入图片验证码并点击“登录”，完成后会自动继续。")
    try:
        await ctx.page.wait_for_url(lambda url: login_marker(ctx) not in url, wait_until="domcontentloaded",
                                    timeout=human.timeout_s * 1000)
    except PlaywrightTimeout:
        raise LoginChallenge(f"{SITE}: no login completed within {human.timeout_s:.0f} s") from None
    await _on_home(ctx)


async def _after_refusal(ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
    """Back on the login page: a refusal (LoginRejected), the captcha, or something unexpected."""
    error = ctx.sel("login", "error").first
    message = clean_text(await error.inner_text()) if await error.count() else ""
    if any(t in message for t in ctx.locators.text("locked")):
        raise AccountLocked(f"{SITE}: the account is locked: {message}")
    if any(t in message for t in ctx.locators.text("rejected")):
        raise LoginRejected(f"{SITE} refused the login: {message}")
    challenge = any(t in message for t in ctx.locators.text("challenge"))
    if challenge or await ctx.sel("login", "captcha").first.is_visible():
        await _human_step(ctx, creds, human)
        return
    if not message:  # accepted, then sent straight back: the new session did not hold
        raise SessionExpired(f"{SITE}: logged in, but the site asked to log in again at once")
    raise SiteUnavailable(f"{SITE}: the login page came back: {message}")


class XywyFlow:
    key = "xywy"
    required: Mapping[str, Sequence[str]] = MappingProxyType({
        "urls": ["login", "home", *(s.url for s in LISTS), "order_detail", "refund_detail", "consult_detail"],
        "api": [s.api for s in LISTS],
        "texts": ["login_path", "code_ok", "code_expired", "expired", "rejected", "locked", "challenge",
                  *(s.counter for s in LISTS), "ship_within_hours", "cod_pay_types", "known_pay_types",
                  "refund_merchant_turn", "refund_buyer_turn", "consult_unreplied", "consult_replied"],
        "selectors.login": ["username", "password", "captcha", "submit", "error"],
        "selectors.home": ["logged_in", "counter", "notice", "notice_close"],
        "selectors.list": [*(s.table for s in LISTS), "page_size", "next", "expired_dialog"],
    })

    async def open(self, ctx: FlowContext) -> None:
        await goto(ctx, ctx.url("home"), login_marker=login_marker(ctx))
        await _on_home(ctx)

    async def login(self, ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
        await goto(ctx, ctx.url("login"), login_marker=None)
        if not _on_login(ctx):  # the saved session is still good: /login sends us home
            await _on_home(ctx)
            return
        await _fill(ctx, creds)
        if await ctx.sel("login", "captcha").first.is_visible():
            await _human_step(ctx, creds, human)
            return
        await _submit(ctx)
        if _on_login(ctx):
            await _after_refusal(ctx, creds, human)
            return
        await _on_home(ctx)

    async def collect(self, ctx: FlowContext) -> None:
        await _watch_notice(ctx)
        if ctx.page.url.split("?", 1)[0] != ctx.url("home"):
            await self.open(ctx)
        counters = await read_counters(ctx)

        async def read(lane: FlowContext, spec: ListSpec) -> None:
            await read_list(lane, spec, counters)

        await side_by_side(ctx, each(read, LISTS), prepare=_watch_notice)


async def _watch_notice(ctx: FlowContext) -> None:
    """The announcement may also cover a list page: close it whenever it is in the way."""
    notice = ctx.sel("home", "notice").first
    await close_whenever(ctx.page, "notice", notice, ctx.sel("home", "notice_close", notice).first)


FLOW = XywyFlow()
