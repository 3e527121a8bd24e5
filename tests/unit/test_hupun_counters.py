"""万里牛's home counters: read by the first list's tab, awaited by the WMS list at its tally."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from flows import hupun
from sweeper.errors import SessionExpired


async def test_the_wms_list_gets_the_counters_the_first_tab_read(monkeypatch: pytest.MonkeyPatch) -> None:
    release = asyncio.Event()

    async def counters(ctx: Any) -> dict[str, Any]:
        await release.wait()
        return {"exception": 7}

    monkeypatch.setattr(hupun.hupun_session, "refreshed_counters", counters)
    home = hupun.HomeCounters()
    waiting = asyncio.create_task(home.value())
    reading = asyncio.create_task(home.read(object()))  # type: ignore[arg-type]
    await asyncio.sleep(0)  # one turn of the loop: both tasks reach their waits (no time passes)
    assert not waiting.done()  # the WMS tally waits for the read, not the other way round
    release.set()
    assert await reading == {"exception": 7}
    assert await waiting == {"exception": 7}


async def test_a_failed_read_fails_the_wms_tally_with_the_same_error(monkeypatch: pytest.MonkeyPatch) -> None:
    async def counters(ctx: Any) -> dict[str, Any]:
        raise SessionExpired("hupun/default: the site asked to log in again")

    monkeypatch.setattr(hupun.hupun_session, "refreshed_counters", counters)
    home = hupun.HomeCounters()
    with pytest.raises(SessionExpired) as first:
        await home.read(object())  # type: ignore[arg-type]
    with pytest.raises(SessionExpired) as second:
        await home.value()
    assert second.value is first.value


async def test_a_cancelled_read_cancels_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    async def counters(ctx: Any) -> dict[str, Any]:
        await asyncio.Event().wait()
        return {}

    monkeypatch.setattr(hupun.hupun_session, "refreshed_counters", counters)
    home = hupun.HomeCounters()
    reading = asyncio.create_task(home.read(object()))  # type: ignore[arg-type]
    waiting = asyncio.create_task(home.value())
    await asyncio.sleep(0)  # one turn of the loop: the read has started, the wait is waiting
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
