"""Screenshots and Playwright traces of a platform that did not end `ok`, with secrets scrubbed.

A trace records cookies, request bodies and typed values: before it is kept it goes through
`sweeper.scrub` (cookies, bodies, typing and the known secrets become "***"). Traces of `ok`
platforms are discarded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from sweeper.lean_drawing import draw_again
from sweeper.log_config import get_logger
from sweeper.scrub import scrub_trace


async def _stop_loading(context: BrowserContext, page: Page) -> None:
    """Stop a navigation still pending (a page that never answered): it would block the screenshot
    until it ends. The page then shows what the person would see: the last page that loaded."""
    try:
        cdp = await context.new_cdp_session(page)
        await cdp.send("Page.stopLoading")
        await cdp.detach()
    except PlaywrightError:
        pass  # not Chromium, or the page is gone: the screenshot waits (bounded) or is skipped


async def save_evidence(
    context: BrowserContext, page: Page | None, folder: Path, stem: str, secrets: Iterable[str]
) -> list[Path]:
    """Screenshot (if the page is alive) and the scrubbed trace; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if page is not None and not page.is_closed():
        shot = folder / f"{stem}.png"
        await _stop_loading(context, page)
        await draw_again(page)  # the evidence shows the page as a person would see it
        try:
            await page.screenshot(path=shot, full_page=False, timeout=5_000)
            written.append(shot)
        except PlaywrightError:
            pass  # a crashed page has nothing to show; the trace still tells the story
    trace = folder / f"{stem}-trace.zip"
    try:
        await context.tracing.stop(path=trace)
    except PlaywrightError:
        return written
    try:
        scrub_trace(trace, secrets)
    except Exception as exc:  # a trace that could not be scrubbed is never kept; the run goes on
        trace.unlink(missing_ok=True)
        get_logger().warning("trace not kept: it could not be scrubbed", error=f"{type(exc).__name__}: {exc}")
        return written
    written.append(trace)
    return written
