"""Turning a list to its next page: the click a flow hands to `json_from` or to a navigation.

Before a click, Playwright proves the button visible, enabled, still over two animation frames and
the topmost element at its centre, then sends mouse events through the compositor. Over the
hundreds of pages of a sweep that cost more renderer CPU than the pages themselves
(bench/sweep.py, reference run: 127 against 94 CPU-seconds, 69.2 against 57.2 s). The pager was
seen when the list opened, so with `fast_page_turns` (the default) the page is turned by a DOM
click event on the button: the site's own handler runs and sends its own request. A site that
ignores synthetic clicks gets `fast_page_turns = false` and real clicks.

A DOM click through a locator still finds the button anew every time: for 万里牛's pager, inside
the shell's cross-origin iframe, that is eleven DevTools messages a page (find the iframe, describe
it, find the button in its frame, dispatch, release each handle on the way), each a task on a
renderer's main thread. So the button found for the first turn is kept, per tab and selector, and
every later turn is one call on it; a button the site has since drawn anew (no longer in the
document) or a page that has navigated away is found again.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Awaitable, Callable

from playwright.async_api import ElementHandle, Locator, Page
from playwright.async_api import Error as PlaywrightError

from sweeper.flow import FlowContext

# The event Playwright's own dispatch_event("click") sends; false when the button left the page.
_CLICK_IF_IN_DOCUMENT = """(button) => {
    if (!button.isConnected) return false;
    button.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, composed: true}));
    return true;
}"""

_FOUND: weakref.WeakKeyDictionary[Page, dict[str, ElementHandle]] = weakref.WeakKeyDictionary()


def page_turn(ctx: FlowContext, button: Locator) -> Callable[[], Awaitable[None]]:
    """The click on `button` that turns the list to its next page (see the module's docstring)."""
    if not ctx.options.fast_page_turns:
        return button.click
    found = _kept_in(ctx.page)
    key = repr(button)  # the frame and the selector: the same button in the same tab

    async def turn() -> None:
        kept = found.get(key)
        if kept is not None and await _click_if_in_document(kept):
            return
        if kept is not None:
            found.pop(key, None)
            await _let_go(kept)
        handle = await button.element_handle()  # waits for it, as a locator's click does
        if not await _click_if_in_document(handle):
            await _let_go(handle)  # drawn anew between the two calls: let the locator click
            await button.dispatch_event("click")
            return
        found[key] = handle

    return turn


def _kept_in(page: Page) -> dict[str, ElementHandle]:
    """The buttons kept for `page`, dropped when it closes: a kept handle refers to its frame and
    so to the page, which a weak key alone would then keep alive."""
    kept = _FOUND.get(page)
    if kept is None:
        kept = _FOUND[page] = {}
        page.once("close", _let_go_of_page)
    return kept


def _let_go_of_page(page: Page) -> None:
    _FOUND.pop(page, None)


async def _click_if_in_document(handle: ElementHandle) -> bool:
    try:
        clicked: bool = await handle.evaluate(_CLICK_IF_IN_DOCUMENT)
    except PlaywrightError:  # its document is gone (the page navigated): find the button again
        return False
    return clicked


async def _let_go(handle: ElementHandle) -> None:
    with contextlib.suppress(PlaywrightError):  # already gone with its document
        await handle.dispose()
