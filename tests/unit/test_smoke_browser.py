from playwright.async_api import Page


async def test_page_renders_chinese(page: Page) -> None:
    await page.set_content("<h1>巡检</h1>")
    assert await page.inner_text("h1") == "巡检"
