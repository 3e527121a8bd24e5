"""json_from names what failed: the step that should ask the API, or the API that never answered."""

from __future__ import annotations

import pytest
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
