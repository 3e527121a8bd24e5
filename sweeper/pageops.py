"""Page operations every flow needs, with the error a runner understands when they fail.

Nothing here names a platform: flows pass their selectors, URLs and API names in.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from sweeper.errors import LayoutChanged, SessionExpired, SiteUnavailable
from sweeper.flow import FlowContext


def _check_status(response: Response | None, what: str) -> None:
    if response is not None and response.status >= 500:
        raise SiteUnavailable(f"{what}: HTTP {response.status}")


async def goto(ctx: FlowContext, url: str, *, login_marker: str | None) -> Response | None:
    """Open a page; a 5xx or network error is SiteUnavailable, landing on login is SessionExpired.

    `login_marker` is a fragment of the login page's URL; None when opening the login page itself.
    """
    try:
        response = await ctx.page.goto(url, wait_until="domcontentloaded")
    except PlaywrightTimeout as exc:
        raise SiteUnavailable(f"timed out opening {_path(url)}") from exc
    except PlaywrightError as exc:
        raise SiteUnavailable(f"could not open {_path(url)}: {exc.message.splitlines()[0]}") from exc
    _check_status(response, _path(url))
    if login_marker is not None:
        ensure_not_on_login(ctx, login_marker)
    return response


def ensure_not_on_login(ctx: FlowContext, login_marker: str) -> None:
    if login_marker in ctx.page.url:
        raise SessionExpired(f"{ctx.platform}/{ctx.account}: the site asked to log in again")


async def require(locator: Locator, what: str, *, timeout_ms: float = 15_000) -> Locator:
    """Wait for an element the selectors file promises; its absence means the layout changed."""
    try:
        await locator.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise LayoutChanged([what]) from None
    return locator


class _RequestLog:
    """Numbers every request a page sends and hands its responses to the steps waiting for one.

    One listener of each kind stays for the page's life: added and removed around each step, they
    would switch the driver's request and response events on and off every time, two protocol
    messages a step. The waiting is done here rather than by `page.expect_response`, whose waiter
    tells the driver when each wait begins and ends (with the call stack, while a trace records):
    万里牛 alone exchanged 1,543 messages with the driver that way, 1,415 this way.
    """

    def __init__(self, page: Page) -> None:
        self.sent = 0
        self.number: weakref.WeakKeyDictionary[Request, int] = weakref.WeakKeyDictionary()
        self.waiting: list[tuple[Callable[[Response], bool], asyncio.Future[Response]]] = []
        page.on("request", self.note)
        page.on("response", self.hand_over)
        page.once("close", lambda _: self.fail_all("the page was closed"))
        page.once("crash", lambda _: self.fail_all("the page crashed"))

    def note(self, request: Request) -> None:
        self.sent += 1
        self.number[request] = self.sent

    def hand_over(self, response: Response) -> None:
        for entry in list(self.waiting):
            wanted, answer = entry
            if answer.done():
                continue
            try:
                if not wanted(response):
                    continue
            except Exception as exc:  # a predicate that fails fails its wait, not the others
                answer.set_exception(exc)
            else:
                answer.set_result(response)
            self.waiting.remove(entry)

    def fail_all(self, why: str) -> None:
        waiting, self.waiting = self.waiting, []
        for _, answer in waiting:
            if not answer.done():
                answer.set_exception(PlaywrightError(f"Target page, context or browser closed: {why}"))

    def expect(self, wanted: Callable[[Response], bool]) -> asyncio.Future[Response]:
        answer: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self.waiting.append((wanted, answer))
        return answer

    def forget(self, answer: asyncio.Future[Response]) -> None:
        self.waiting = [entry for entry in self.waiting if entry[1] is not answer]
        if not answer.done():
            answer.cancel()
        elif not answer.cancelled():
            answer.exception()  # seen: a failure nobody waits for any more is not "never retrieved"


_LOGS: weakref.WeakKeyDictionary[Page, _RequestLog] = weakref.WeakKeyDictionary()


def _request_log(page: Page) -> _RequestLog:
    log = _LOGS.get(page)
    if log is None:
        log = _LOGS[page] = _RequestLog(page)
    return log


async def json_from(
    ctx: FlowContext, api: str, action: Callable[[], Awaitable[Any]], *, timeout_ms: float = 30_000
) -> Any:
    """Do `action` (a click, a goto) and return the JSON body of the API response it causes.

    Reading the response the page itself receives costs one request per page, like the UI does,
    and avoids a round trip per cell. Only a request sent once `action` starts counts: an answer
    still in flight from the previous page (slow networks) would otherwise be taken, and its body
    is gone as soon as that page is left. The body is parsed here, not by `Response.json()`, whose
    wrapper walks every value of the result again (seconds, over 1,000-row pages).
    """
    matches = ctx.api_matcher(api)
    log = _request_log(ctx.page)
    before = log.sent
    started = monotonic()
    answer = log.expect(lambda r: log.number.get(r.request, 0) > before and matches(r))
    try:
        try:
            await action()
        except PlaywrightTimeout as exc:  # the click or goto itself never happened: not a silent API
            first = exc.message.splitlines()[0] if exc.message else "timed out"
            raise SiteUnavailable(f"the step that asks {api} could not be done: {first}") from exc
        left_s = max(timeout_ms / 1000 - (monotonic() - started), 0.0)
        try:
            response = await asyncio.wait_for(answer, left_s)
        except TimeoutError:
            raise SiteUnavailable(f"no answer from {api} within {timeout_ms / 1000:.0f} s") from None
    finally:
        log.forget(answer)
    _check_status(response, api)
    try:
        return json.loads(await response.body())
    except PlaywrightError as exc:
        raise SiteUnavailable(f"{api}: its answer could not be read: {exc.message.splitlines()[0]}") from exc
    except ValueError as exc:
        raise SiteUnavailable(f"{api} answered with something that is not JSON") from exc


def plain_css(ctx: FlowContext, page: str, name: str) -> str | None:
    """A selectors-file entry as a CSS selector for `document.querySelector`, when it is one.

    For reading a whole page in one evaluate; None when the entry uses another strategy or a
    filter (has_text, nth), which only a Playwright locator understands.
    """
    selector = ctx.locators.selector(page, name)
    css = selector.css
    if css is None or selector.has_text is not None or selector.nth is not None:
        return None
    playwright_only = (">>", ":has-text(", ":text", ":visible", ":nth-match(", "internal:")
    return None if any(mark in css for mark in playwright_only) else css


async def table_rows(rows: Locator, script: str) -> list[dict[str, Any]]:
    """All rows of a server-rendered table in one call; `script` maps one element to a dict."""
    text = await rows.evaluate_all(f"(els) => JSON.stringify(els.map({script}))")
    result: list[dict[str, Any]] = json.loads(text)
    return result


async def evaluate_json(page: Page, script: str, arg: Any = None) -> Any:
    """`page.evaluate(script, arg)` for a large result (a page of rows), sent back as one JSON text.

    Playwright sends an evaluate's result value by value, each wrapped in a tagged object that the
    driver builds and Python then validates and unwraps one at a time. For the 26,000 rows that
    苏宁, 药房网 and 315 read from their pages that was about 4 s of Python (py-spy, reference run
    of bench/sweep.py) and a share of the driver's CPU; one string costs neither. JSON has no
    `undefined`: a key whose value is undefined is absent, so readers use `.get`.
    """
    text = await page.evaluate(f"async (arg) => JSON.stringify(await ({script})(arg)) ?? 'null'", arg)
    return json.loads(text)


async def first_visible(candidates: dict[str, Locator], *, timeout_ms: float) -> str | None:
    """Which of several outcomes shows first (e.g. home page, challenge, error), or None.

    Hidden matches are ignored: a page may carry the words of a step it has not shown yet.
    """
    visible = {name: loc.filter(visible=True).first for name, loc in candidates.items()}
    combined: Locator | None = None
    for loc in visible.values():
        combined = loc if combined is None else combined.or_(loc)
    if combined is None:
        return None
    try:
        await combined.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        return None
    for name, loc in visible.items():
        if await loc.is_visible():
            return name
    return None


def _path(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
