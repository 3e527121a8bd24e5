"""A platform's lists read side by side, in a few tabs of the same browser context.

Once the home counters are read, a platform's lists do not depend on each other, and at hundreds
of milliseconds per response a sweep that reads them one after another mostly waits. An operator
with the back-end open in a few tabs does the same as `side_by_side`: each lane is a tab of the
platform's own context, so it shares the session, and the politeness gate (one per context) still
caps the requests in flight and spaces their starts, whatever the number of tabs.

The first lane is the flow's own page; the others open tabs. After a list fails no other list
starts; the platform's outcome is the earliest list's failure, and the tab it failed on is the one
whose screenshot is kept (`failed_page`). Tabs are closed once every list is read.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TypeVar
from weakref import WeakKeyDictionary

from playwright.async_api import BrowserContext, Page

from sweeper.flow import FlowContext

Job = Callable[[FlowContext], Awaitable[None]]
T = TypeVar("T")

_FAILED_ON: WeakKeyDictionary[BrowserContext, Page] = WeakKeyDictionary()


def failed_page(context: BrowserContext) -> Page | None:
    """The tab a list failed on, when that was not the flow's own page (for the evidence)."""
    page = _FAILED_ON.get(context)
    return page if page is not None and not page.is_closed() else None


def each(read: Callable[[FlowContext, T], Awaitable[None]], specs: Iterable[T]) -> list[Job]:
    """One job per list: `read(lane, spec)` for every spec."""

    def job(spec: T) -> Job:
        return lambda lane: read(lane, spec)

    return [job(spec) for spec in specs]


async def side_by_side(ctx: FlowContext, jobs: Sequence[Job], *, prepare: Job | None = None) -> None:
    """Run `jobs` (each reads one list from its own first page) in at most
    `ctx.options.lists_in_parallel` tabs; `prepare` sets up a new tab (popup handlers) first.

    After a failure no list starts, but the lists already under way are read to their end (what
    they read is kept, as when the failing list would have come last). Then the failure of the
    earliest list in `jobs` order is raised: when one fault breaks several lists, the report names
    the same one every time, as one tab would.
    """
    _FAILED_ON.pop(ctx.page.context, None)  # a retry after a failure starts with a clean slate
    width = max(1, min(ctx.options.lists_in_parallel, len(jobs)))
    if width == 1:
        for job in jobs:
            await job(ctx)
        return
    waiting: deque[tuple[int, Job]] = deque(enumerate(jobs))
    failures: list[tuple[int, FlowContext, Exception]] = []
    views = [ctx.sink.view() for _ in jobs]  # each job's lists, to keep the jobs' order in the tally

    async def lane(lane_ctx: FlowContext) -> None:
        number = -1  # a tab that could not be set up fails before any list
        try:
            if lane_ctx is not ctx and prepare is not None:
                await prepare(lane_ctx)
            while waiting and not failures:
                number, job = waiting.popleft()
                await job(dataclasses.replace(lane_ctx, sink=views[number]))
        except Exception as exc:  # kept for after the other lanes: they finish what they started
            failures.append((number, lane_ctx, exc))

    tabs: list[Page] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        lanes = [ctx]
        for _ in range(width - 1):
            tabs.append(await ctx.page.context.new_page())
            lanes.append(dataclasses.replace(ctx, page=tabs[-1]))
        tasks = [asyncio.create_task(lane(lane_ctx)) for lane_ctx in lanes]
        await asyncio.gather(*tasks)
    finally:
        await _stop(tasks)
        ctx.sink.order_lists([name for view in views for name in view.opened])
    if failures:  # the earliest list's failure, whichever came first: the same fault, the same report
        _, failed_on, error = min(failures, key=lambda failure: failure[0])
        if failed_on is not ctx:
            _FAILED_ON[ctx.page.context] = failed_on.page
        raise error
    for tab in tabs:  # after a failure they stay open: the context's close takes them with it
        await tab.close()


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the lanes still running (the platform's budget ran out, or a tab would not open)."""
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
