"""万里牛 login and home page: the account-login switch, the slider, the ad popup, the counters.

Facts (docs/platforms.md §8): the login page opens on another login type; "切换账号登录" shows the
account form (username, `#input-password`, `.login-btn`, an error span). `/frame/home` shows an
ad/announcement popup that blocks clicks until closed, a refresh icon and the 待处理 counters.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeout

from flows.hupun_grid import SITE, described, envelope, expired, json_or_login, login_marker, need, on_login
from sweeper.errors import AccountLocked, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.pageops import first_visible, goto, json_from, require
from sweeper.parsing import clean_text

LOGIN_OUTCOME_MS = 20_000
AD_CLOSE_MS = 3_000
_NOT_BLANK = re.compile(r"\S")


def _is_home(ctx: FlowContext, url: str) -> bool:
    return url.split("?", 1)[0].split("#", 1)[0] == ctx.url("home")


async def login(ctx: FlowContext, creds: Credentials, human: HumanWait | None) -> None:
    await goto(ctx, ctx.url("login"), login_marker=None)
    if _is_home(ctx, ctx.page.url):  # the saved session still holds: /login sent us home
        await on_home(ctx)
        return
    await (await need(ctx, "login", "account_switch")).click()
    await (await need(ctx, "login", "username")).fill(creds.username)
    await (await need(ctx, "login", "password", timeout_ms=5_000)).fill(creds.password.get_secret_value())
    await (await need(ctx, "login", "submit", timeout_ms=5_000)).click()
    outcome = await first_visible(
        {
            "home": ctx.sel("home", "user_menu"),
            "slider": ctx.sel("login", "slider"),
            "error": ctx.sel("login", "error").filter(has_text=_NOT_BLANK),
            # a fresh login page (on its first login type again): the new session did not hold
            "again": ctx.sel("login", "account_switch"),
        },
        timeout_ms=LOGIN_OUTCOME_MS,
    )
    if outcome == "home":
        await on_home(ctx)
    elif outcome == "again":
        raise SessionExpired(f"{SITE}: 登录已失效 right after logging in (the site asked to log in again)")
    elif outcome == "slider":
        await _human_step(ctx, human, "滑块安全验证")
    elif outcome == "error":
        await _refused(ctx, clean_text(await ctx.sel("login", "error").first.inner_text()), human)
    else:
        raise SiteUnavailable(f"{SITE}: no answer to the login within {LOGIN_OUTCOME_MS / 1000:.0f} s")


async def _refused(ctx: FlowContext, message: str, human: HumanWait | None) -> None:
    if any(t in message for t in ctx.locators.text("locked")):
        raise AccountLocked(f"{SITE}: the account is locked: {message}")
    if any(t in message for t in ctx.locators.text("rejected")):
        raise LoginRejected(f"{SITE} refused the login: {message}")
    if any(t in message for t in ctx.locators.text("challenge")):
        await _human_step(ctx, human, "安全验证")
        return
    raise SiteUnavailable(f"{SITE}: the login answered {message!r}")


async def _human_step(ctx: FlowContext, human: HumanWait | None, what: str) -> None:
    if human is None:
        raise LoginChallenge(f"{SITE} asks for a {what}; a person must log in once")
    human.tell(f"{SITE}：请在浏览器窗口中完成{what}，登录成功后会自动继续。")
    try:
        await ctx.page.wait_for_url(lambda url: _is_home(ctx, url), wait_until="domcontentloaded",
                                    timeout=human.timeout_s * 1000)
    except PlaywrightTimeout:
        raise LoginChallenge(f"{SITE}: no login completed within {human.timeout_s:.0f} s") from None
    await on_home(ctx)


async def open_home(ctx: FlowContext) -> dict[str, Any]:
    """Go to /frame/home; its counters (the cached ones) prove the session holds."""
    body = await json_or_login(
        ctx, "home_counts", lambda: goto(ctx, ctx.url("home"), login_marker=login_marker(ctx))
    )
    counters = envelope(ctx, body, "home_counts")
    await on_home(ctx)
    return counters


async def on_home(ctx: FlowContext) -> None:
    """On the home page: logged in, its own counter request answered, the ad popup closed.

    Waiting for the page's counter request matters: an answer still in flight when the flow opens
    another page would lose its body and be mistaken for the next page's answer.
    """
    if on_login(ctx):
        raise expired()
    await need(ctx, "home", "user_menu")
    stamp = ctx.sel("home", "update_time").filter(has_text=_NOT_BLANK)  # 更新于 … / 加载失败
    await require(stamp, described(ctx, "home", "update_time"))
    ad = ctx.sel("home", "ad").first
    if await ad.is_visible():
        await (await need(ctx, "home", "ad_close", timeout_ms=AD_CLOSE_MS)).click()
        await ad.wait_for(state="hidden")


async def refreshed_counters(ctx: FlowContext) -> dict[str, Any]:
    """The counters as of now: the page shows cached ones until its refresh icon is clicked."""
    if not _is_home(ctx, ctx.page.url):
        await open_home(ctx)
    else:
        await on_home(ctx)
    refresh = await need(ctx, "home", "refresh")
    body = await json_from(ctx, "home_counts", refresh.click)
    return envelope(ctx, body, "home_counts")
