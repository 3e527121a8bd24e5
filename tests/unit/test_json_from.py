"""json_from names what failed: the step that should ask the API, or the API that never answered."""

from __future__ import annotations

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from sweeper import pageops
from sweeper.errors import SiteUnavailable
from tests.helpers import flow_context

PAGE = """<button id="silent">查询</button>
<button id="covered">查询</button><div style="position:fixed;inset:0;background:#0003">公告</div>"""


async def test_a_click_that_cannot_happen_is_not_called_a_silent_api(page: Page) -> None:
    await page.set_content(PAGE)
    ctx = flow_context(page, "admin", "http://127.0.0.1:9")
    with pytest.raises(SiteUnavailable, match=r"the step that asks orders could not be done: .*Timeout"):
        await pageops.json_from(ctx, "orders", lambda: page.click("#covered", timeout=300), timeout_ms=2_000)


async def test_an_action_that_sends_nothing_is_no_answer_from_the_api(page: Page) -> None:
    await page.set_content(PAGE)
    ctx = flow_context(page, "admin", "http://127.0.0.1:9")
    with pytest.raises(SiteUnavailable, match=r"^no answer from orders within 1 s$"):
        await pageops.json_from(ctx, "orders", lambda: page.evaluate("() => 1"), timeout_ms=1_000)


async def test_a_page_closed_while_its_answer_is_awaited_fails_at_once(page: Page) -> None:
    await page.set_content(PAGE)
    ctx = flow_context(page, "admin", "http://127.0.0.1:9")
    # Without the close failing the wait, this would end as "no answer ... within 30 s".
    with pytest.raises(PlaywrightError, match="closed: the page was closed"):
        await pageops.json_from(ctx, "orders", page.close, timeout_ms=30_000)
