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
every later turn is one call on it; after the page has navigated away it is found again.

Some sites draw the pager anew with every page (the own admin, 拼多多): the kept button has left the
document by the next turn. Finding it again as a handle costs a dozen DevTools messages (wait for
it, check each popup handler, adopt it into the page's world, describe it twice, release), on the
critical path of every page. From the first time a kept button is found gone, that tab's turns find
and click it in one call through the locator (`evaluate_all`, which neither waits nor runs the popup
handlers' checks, as an action would); only a button not drawn yet is waited for, by the locator's
own `dispatch_event`.
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
# The same click on the first of a locator's matches (just found, so in the document).
_CLICK_FIRST = f"(buttons) => buttons.length > 0 && ({_CLICK_IF_IN_DOCUMENT})(buttons[0])"

# Per tab and selector: the button kept for the next turn, or None once the site has drawn it
# anew between two turns (then each turn is dispatched through the locator).
_FOUND: weakref.WeakKeyDictionary[Page, dict[str, ElementHandle | None]] = weakref.WeakKeyDictionary()

CLICKED, DETACHED, GONE = "clicked", "detached", "gone"


def page_turn(ctx: FlowContext, button: Locator) -> Callable[[], Awaitable[None]]:
    """The click on `button` that turns the list to its next page (see the module's docstring)."""
    if not ctx.options.fast_page_turns:
        return button.click
    found = _kept_in(ctx.page)
    key = repr(button)  # the frame and the selector: the same button in the same tab

    async def turn() -> None:
        if key in found and found[key] is None:  # a pager drawn anew with every page
            await _click_through(button)
            return
        kept = found.pop(key, None)
        if kept is not None:
            outcome = await _click_if_in_document(kept)
            if outcome == CLICKED:
                found[key] = kept
                return
            await _let_go(kept)
            if outcome == DETACHED:
                found[key] = None
                await _click_through(button)
                return
        handle = await button.element_handle()  # waits for it, as a locator's click does
        if await _click_if_in_document(handle) != CLICKED:
            await _let_go(handle)  # drawn anew between the two calls: let the locator click
            await button.dispatch_event("click")
            return
        found[key] = handle

    return turn


def _kept_in(page: Page) -> dict[str, ElementHandle | None]:
    """The buttons kept for `page`, dropped when it closes: a kept handle refers to its frame and
    so to the page, which a weak key alone would then keep alive."""
    kept = _FOUND.get(page)
    if kept is None:
        kept = _FOUND[page] = {}
        page.once("close", _let_go_of_page)
    return kept


def _let_go_of_page(page: Page) -> None:
    _FOUND.pop(page, None)


async def _click_if_in_document(handle: ElementHandle) -> str:
    try:
        clicked: bool = await handle.evaluate(_CLICK_IF_IN_DOCUMENT)
    except PlaywrightError:  # its document is gone (the page navigated): find the button again
        return GONE
    return CLICKED if clicked else DETACHED


async def _click_through(button: Locator) -> None:
    if not await button.evaluate_all(_CLICK_FIRST):
        await button.dispatch_event("click")  # not drawn (yet): wait for it, as a click would


async def _let_go(handle: ElementHandle) -> None:
    with contextlib.suppress(PlaywrightError):  # already gone with its document
        await handle.dispose()
