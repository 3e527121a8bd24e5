"""Page turns: the next-page button is found once per tab and clicked by one call after that,
found again when the page navigates, dispatched through its locator when the site draws it anew."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from playwright.async_api import BrowserContext, Locator, Page

from sweeper.page_turns import _FOUND, page_turn
from tests.helpers import flow_context

# A pager in an iframe, as 万里牛's business pages are; `redraw` makes its handler replace the
# button with a new element, as a framework re-rendering its pager would.
PAGER = """<button class="next" onclick="
  document.body.dataset.trusted = event.isTrusted;
  document.body.dataset.turns = Number(document.body.dataset.turns || 0) + 1;
  if (document.body.dataset.redraw) this.replaceWith(this.cloneNode(true));
  if (document.body.dataset.later) {
    const pager = this.parentNode, again = this.cloneNode(true);
    this.remove();
    setTimeout(() => pager.append(again), 300);
  }
">下一页</button>"""
SHELL = f"<iframe srcdoc='{PAGER}'></iframe>"


@pytest.fixture
def finds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Each time a page turn looks for its button (`Locator.element_handle`)."""
    found: list[str] = []
    original = Locator.element_handle

    async def counted(self: Locator, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        found.append(repr(self))
        return await original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Locator, "element_handle", counted)
    yield found


async def _shell(page: Page, *, redraw: bool = False, later: bool = False) -> Locator:
    await page.set_content(SHELL)
    frame = page.frame_locator("iframe")
    await frame.locator("button.next").wait_for()
    if redraw:
        await page.frames[1].evaluate("document.body.dataset.redraw = 'yes'")
    if later:
        await page.frames[1].evaluate("document.body.dataset.later = 'yes'")
    return frame.locator("button.next")


async def _turns(page: Page) -> int:
    return int(await page.frames[1].evaluate("Number(document.body.dataset.turns || 0)"))


async def _trusted(page: Page) -> str:
    return str(await page.frames[1].evaluate("document.body.dataset.trusted"))


async def test_the_button_is_found_once_and_every_turn_lands(page: Page, finds: list[str]) -> None:
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    button = await _shell(page)
    for _ in range(4):
        await page_turn(ctx, button.first)()  # a new action each page, as the flows make them
    assert await _turns(page) == 4
    assert len(finds) == 1
    assert await _trusted(page) == "false"  # a DOM click event, not the mouse


async def test_a_pager_drawn_anew_each_page_is_clicked_through_the_locator(page: Page, finds: list[str]) -> None:
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    button = await _shell(page, redraw=True)
    for _ in range(4):
        await page_turn(ctx, button.first)()
    assert await _turns(page) == 4  # none lost on a detached button
    assert len(finds) == 1  # once gone, not looked up as a handle again: dispatched by the locator
    assert await _trusted(page) == "false"
    assert list(_FOUND[page].values()) == [None]  # nothing kept for a pager drawn anew


async def test_a_pager_drawn_again_only_after_a_while_is_waited_for(page: Page, finds: list[str]) -> None:
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    button = await _shell(page, later=True)  # each click takes the button away for 300 ms
    for _ in range(3):
        await page_turn(ctx, button.first)()
    assert await _turns(page) == 3  # the turns after the first waited for the button to come back
    assert len(finds) == 1


async def test_after_the_page_navigated_the_new_pages_button_is_clicked(page: Page, finds: list[str]) -> None:
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    button = await _shell(page)
    await page_turn(ctx, button.first)()
    button = await _shell(page)  # a new document: the kept button's context is gone
    await page_turn(ctx, button.first)()
    await page_turn(ctx, button.first)()
    assert await _turns(page) == 2
    assert len(finds) == 2


async def test_with_fast_page_turns_off_the_turn_is_a_real_mouse_click(page: Page, finds: list[str]) -> None:
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    slow = dataclasses.replace(ctx, options=dataclasses.replace(ctx.options, fast_page_turns=False))
    button = await _shell(page)
    await page_turn(slow, button.first)()
    assert await _turns(page) == 1
    assert await _trusted(page) == "true"
    assert finds == []  # nothing kept: Playwright's click finds and checks the button itself


async def test_a_closed_tab_lets_go_of_its_buttons(context: BrowserContext) -> None:
    page = await context.new_page()
    ctx = flow_context(page, "hupun", "http://127.0.0.1")
    await page_turn(ctx, (await _shell(page)).first)()
    assert page in _FOUND  # kept while the tab is open
    await page.close()
    assert page not in _FOUND  # a kept handle would otherwise keep the closed page alive
