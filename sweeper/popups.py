"""Popups that may cover any page at any moment: announcements, onboarding guides, ad dialogs.

A flow closes the one it expects (the dashboard's announcement) where it expects it. Sites also
show them over a list page, on a first visit or after a release, where they swallow the clicks
the flow needs. `close_whenever` has Playwright close such a popup before any action it would
block, on that page, for the rest of the sweep: no polling, no waiting when none shows.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from playwright.async_api import Locator, Page

_WATCHING: WeakKeyDictionary[Page, set[str]] = WeakKeyDictionary()


async def close_whenever(page: Page, name: str, popup: Locator, close: Locator) -> None:
    """From now on, whenever `popup` shows on `page` before an action, click `close` first.

    `name` makes the call idempotent per page: a flow may call it on every `open`.
    """
    names = _WATCHING.setdefault(page, set())
    if name in names:
        return
    names.add(name)

    async def click_close() -> None:  # no parameter: Playwright would pass the popup's locator
        await close.click()

    await page.add_locator_handler(popup, click_close)
