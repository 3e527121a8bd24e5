"""Lean drawing: undrawn list bodies and no animation in a headless sweep, all drawn again for evidence."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Frame, Page
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from sweeper.errors import ConfigError
from sweeper.lean_drawing import draw_again, lean_css
from sweeper.locators import load_locators
from sweeper.plan import build_targets
from sweeper.settings import PlatformSettings, Settings
from tests.loopback import serve_app

# A list page as a site's script builds it: its own `!important` rules, a spinning loader, a
# table body filled after load and a button whose handler a sweep may still trigger by script.
LIST_PAGE = """<!doctype html><html><head><style>
  @keyframes spin { to { transform: rotate(360deg); } }
  .loader { width: 20px; height: 20px; animation: spin 1s linear infinite !important; }
  .list tbody { display: table-row-group !important; }
  .fade { transition: opacity 2s !important; }
</style></head><body>
  <div class="loader"></div><p class="fade">共 3 条</p>
  <table class="list"><thead><tr><th>订单编号</th></tr></thead><tbody></tbody></table>
  <button id="next" onclick="document.body.dataset.turned = 'yes'">下一页</button>
  <iframe src="/inner"></iframe>
  <script>
    document.querySelector('.list tbody').innerHTML =
      ['A1', 'A2', 'A3'].map((n) => '<tr><td>' + n + '</td></tr>').join('');
  </script>
</body></html>"""
INNER_PAGE = """<!doctype html><table class="list"><tbody><tr><td>B1</td></tr></tbody></table>
<div class="loader" style="animation: spin 1s infinite"></div>"""
UNDRAWN = [".list > tbody"]

SHOWN = "(sel) => document.querySelector(sel).checkVisibility()"
ANIMATION = "(sel) => getComputedStyle(document.querySelector(sel)).animationName"


@pytest_asyncio.fixture(loop_scope="session")
async def site() -> AsyncIterator[str]:
    app = Starlette(routes=[
        Route("/list", lambda _: HTMLResponse(LIST_PAGE)),
        Route("/inner", lambda _: HTMLResponse(INNER_PAGE)),
    ])
    async with serve_app(app) as base:
        yield base


def _inner(page: Page) -> Frame:
    (frame,) = [f for f in page.frames if f.url.endswith("/inner")]
    return frame


async def _open(browser: Browser, site: str, *, lean: bool, settings: PlatformSettings | None = None) -> Page:
    """The list page in a context made as the runner makes one, for a platform undrawing `.list`."""
    (target,) = build_targets(Settings(platforms={"pdd": settings or PlatformSettings()}), ["pdd"])
    locators = target.locators.model_copy(
        update={"undrawn": target.locators.undrawn.model_copy(update={"css": UNDRAWN})}
    )
    target = dataclasses.replace(target, locators=locators, base_url=site)
    context = await target.new_context(browser, lean=lean)
    page = await context.new_page()
    await page.goto(f"{site}/list")
    await _inner(page).wait_for_load_state()
    return page


async def test_a_lean_page_builds_its_rows_but_does_not_draw_them(browser: Browser, site: str) -> None:
    page = await _open(browser, site, lean=True)
    try:
        assert await page.evaluate(SHOWN, ".list > tbody") is False  # beats the site's own !important
        assert await page.locator(".list tbody td").all_text_contents() == ["A1", "A2", "A3"]
        assert await page.evaluate(SHOWN, ".list > thead") is True  # only the named bodies
        assert await page.evaluate(ANIMATION, ".loader") == "none"
        assert await page.evaluate("getComputedStyle(document.querySelector('.fade')).transitionDuration") == "0s"
        inner = _inner(page)  # every frame gets the sheet
        assert await inner.evaluate(SHOWN, ".list > tbody") is False
        assert await inner.evaluate(ANIMATION, ".loader") == "none"
        await page.locator("#next").dispatch_event("click")  # the site's handlers still run
        assert await page.evaluate("document.body.dataset.turned") == "yes"
    finally:
        await page.context.close()


async def test_drawn_again_for_evidence_the_page_is_as_the_site_made_it(browser: Browser, site: str) -> None:
    page = await _open(browser, site, lean=True)
    try:
        await draw_again(page)
        assert await page.evaluate(SHOWN, ".list > tbody") is True
        assert await page.evaluate(ANIMATION, ".loader") == "spin"
        assert await _inner(page).evaluate(SHOWN, ".list > tbody") is True
        assert await page.evaluate("document.adoptedStyleSheets.length") == 0
    finally:
        await page.context.close()


@pytest.mark.parametrize(
    ("lean", "settings"),
    [(False, PlatformSettings()), (True, PlatformSettings(lean_drawing=False))],
    ids=["a-person-is-looking", "turned-off-in-settings"],
)
async def test_everything_is_drawn_when_someone_looks_or_settings_say_so(
    browser: Browser, site: str, lean: bool, settings: PlatformSettings
) -> None:
    page = await _open(browser, site, lean=lean, settings=settings)
    try:
        assert await page.evaluate(SHOWN, ".list > tbody") is True
        assert await page.evaluate(ANIMATION, ".loader") == "spin"
    finally:
        await page.context.close()


def test_each_undrawn_selector_is_its_own_rule_inside_the_layer() -> None:
    css = lean_css([".a > tbody", "#b"])
    assert css.startswith("@layer sweeper-lean-drawing {")
    assert ".a > tbody { display: none !important; }" in css
    assert "#b { display: none !important; }" in css


@pytest.mark.parametrize("entry", ["tbody } body { display: none", "", "tbody /* x */"])
def test_an_undrawn_entry_that_is_not_a_plain_selector_is_refused(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(f'[site]\nname = "x"\nbase_url = "http://x"\n[undrawn]\ncss = [{entry!r}]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"x\.toml: undrawn\.css: not a plain CSS selector"):
        load_locators(path)
