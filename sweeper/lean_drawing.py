"""Lean drawing: a headless sweep does not draw what nobody looks at.

Headless, nobody sees the page, yet Chromium still lays out, paints and composites every list page
the site's own script builds, and keeps producing frames for spinners, transitions and the text
caret. Measured alone (bench/sweep.py, 2,000 items, 300 ms): laying out and painting the list
bodies was half of 平安健康's and the own admin's renderer CPU, and animation frames a fifth of
拼多多's whole sweep. So every headless context gets one stylesheet, adopted by every document of
every frame before the site's scripts run:

* the list bodies named in the selectors file's `[undrawn] css` get `display: none`. Only lists
  whose rows the flow reads from the site's JSON answers belong there: their rows are still
  built, clickable by script and readable, just never laid out or painted;
* CSS animations, transitions and the caret are off everywhere (as Playwright does for its
  screenshots with `animations="disabled"`).

The rules sit in a named cascade layer, so `!important` in them wins over the site's own
`!important`, and `draw_again` finds and drops exactly this sheet: a failure's evidence
screenshot shows the page as a person would see it. Headed windows (a person is looking) and
`sweeper doctor` never get the sheet; `platforms.<key>.lean_drawing = false` turns it off. An
`[undrawn]` entry that hides more than list rows (a pager, a total) shows as "layout changed" in
a sweep while `sweeper doctor` finds the element: that entry is the first thing to look at.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

LAYER = "sweeper-lean-drawing"
_STILL = (
    "*, *::before, *::after { animation: none !important; transition: none !important;"
    " caret-color: transparent !important; }"
)


def lean_css(undrawn: Sequence[str]) -> str:
    """The stylesheet: the still rules, and `display: none` for each undrawn selector."""
    hidden = "".join(f"{selector} {{ display: none !important; }}" for selector in undrawn)
    return f"@layer {LAYER} {{ {_STILL} {hidden} }}"


def _adopt_script(css: str) -> str:
    # A constructed sheet needs no <head>: it applies from the document's first paint, before the
    # site's scripts run. Each selector is its own rule, so one the browser cannot parse (a typo
    # in the selectors file) drops only itself, not the sheet. A document that refuses the sheet
    # (no constructable stylesheets) is simply drawn in full: never a reason to fail the sweep.
    return (
        "(() => { try { const sheet = new CSSStyleSheet(); sheet.replaceSync(" + json.dumps(css) + ");"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; } catch (e) {} })();"
    )


_DRAW_AGAIN = (
    "(layer) => { document.adoptedStyleSheets = document.adoptedStyleSheets.filter("
    "(s) => !Array.from(s.cssRules).some((r) => r.name === layer)); }"
)


async def apply_lean_drawing(context: BrowserContext, undrawn: Sequence[str]) -> None:
    """Adopt the lean stylesheet in every document the context opens from now on."""
    await context.add_init_script(_adopt_script(lean_css(undrawn)))


async def draw_again(page: Page) -> None:
    """Drop the lean stylesheet from every frame of `page` (before an evidence screenshot)."""
    for frame in page.frames:
        try:
            await frame.evaluate(_DRAW_AGAIN, LAYER)
        except PlaywrightError:
            continue  # a frame that went away or never finished loading shows as it is
