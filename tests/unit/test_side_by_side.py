"""Lists read side by side: tabs of the flow's own context, a bounded number, the first failure wins."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from playwright.async_api import Page

from sweeper.flow import FlowContext
from sweeper.side_by_side import each, failed_page, side_by_side
from tests.helpers import flow_context

BOUND_S = 10  # a lane that never came would hang the test: fail it instead


def lanes(page: Page, width: int) -> FlowContext:
    ctx = flow_context(page, "admin", "http://127.0.0.1:9")
    return dataclasses.replace(ctx, options=dataclasses.replace(ctx.options, lists_in_parallel=width))


async def test_lists_run_at_once_in_tabs_of_the_same_context_which_close_after(page: Page) -> None:
    ctx = lanes(page, 3)
    together = asyncio.Barrier(3)  # passes only when three lists are under way at the same time
    ran: list[tuple[int, Page]] = []
    prepared: list[Page] = []

    async def read(lane: FlowContext, number: int) -> None:
        if number < 3:
            await asyncio.wait_for(together.wait(), BOUND_S)
        ran.append((number, lane.page))

    async def prepare(lane: FlowContext) -> None:
        prepared.append(lane.page)

    await side_by_side(ctx, each(read, range(5)), prepare=prepare)
    assert sorted(n for n, _ in ran) == [0, 1, 2, 3, 4]
    pages = {p for _, p in ran}
    assert len(pages) == 3 and page in pages
    assert all(p.context is page.context for p in pages)
    assert set(prepared) == pages - {page}  # the flow's own page was set up by the flow itself
    assert page.context.pages == [page]  # the tabs are closed again


async def test_one_lane_reads_the_lists_in_order_on_the_flows_page(page: Page) -> None:
    ran: list[tuple[int, Page]] = []

    async def read(lane: FlowContext, number: int) -> None:
        ran.append((number, lane.page))

    await side_by_side(lanes(page, 1), each(read, range(4)))
    assert ran == [(0, page), (1, page), (2, page), (3, page)]
    assert page.context.pages == [page]


async def test_after_a_failure_no_list_starts_but_those_under_way_end(page: Page) -> None:
    ctx = lanes(page, 2)
    failing = asyncio.Event()
    finished: list[str] = []

    async def long_list(lane: FlowContext) -> None:
        await asyncio.wait_for(failing.wait(), BOUND_S)  # still reading when the other list fails
        finished.append("long")

    async def broken_list(lane: FlowContext) -> None:
        failing.set()
        raise RuntimeError("layout changed in the second tab")

    async def queued_list(lane: FlowContext) -> None:
        finished.append("queued")

    with pytest.raises(RuntimeError, match="second tab"):
        await side_by_side(ctx, [long_list, broken_list, queued_list])
    assert finished == ["long"]
    shown = failed_page(page.context)
    assert shown is not None and shown is not page and not shown.is_closed()  # kept for the screenshot


async def test_a_failure_on_the_flows_own_page_points_at_no_other_tab(page: Page) -> None:
    async def broken(lane: FlowContext) -> None:
        raise RuntimeError("busy")

    async def fine(lane: FlowContext) -> None:
        return None

    with pytest.raises(RuntimeError, match="busy"):
        await side_by_side(lanes(page, 2), [broken, fine])
    assert failed_page(page.context) is None


async def test_when_one_fault_breaks_several_lists_the_earliest_list_is_named(page: Page) -> None:
    second_failed = asyncio.Event()

    async def first(lane: FlowContext) -> None:
        await asyncio.wait_for(second_failed.wait(), BOUND_S)  # fails after the second one
        raise RuntimeError("layout changed: orders.grid")

    async def second(lane: FlowContext) -> None:
        second_failed.set()
        raise RuntimeError("layout changed: refunds.grid")

    with pytest.raises(RuntimeError, match=r"orders\.grid"):
        await side_by_side(lanes(page, 2), [first, second])
    assert failed_page(page.context) is None  # the first list was read on the flow's own page


async def test_the_tally_keeps_the_lists_in_the_order_of_their_jobs(page: Page) -> None:
    ctx = lanes(page, 2)
    second_opened = asyncio.Event()

    async def first(lane: FlowContext) -> None:
        await asyncio.wait_for(second_opened.wait(), BOUND_S)  # opens its list after the second
        lane.sink.open_list("orders", 1)
        lane.sink.page_read("orders", 1)

    async def second(lane: FlowContext) -> None:
        lane.sink.open_list("refunds", 2)
        second_opened.set()

    await side_by_side(ctx, [first, second])
    assert list(ctx.sink.lists) == ["orders", "refunds"]
    assert (ctx.sink.lists["orders"].rows_read, ctx.sink.lists["refunds"].expected) == (1, 2)
