"""Politeness: requests to a platform's own hosts are capped in flight and spaced apart."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from time import monotonic

import pytest
import pytest_asyncio
from playwright.async_api import Browser
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from sweeper.politeness import Gate, apply_politeness, site_hosts, site_pattern
from sweeper.settings import PlatformSettings
from tests.loopback import serve_app


def test_a_platform_covers_its_own_site_not_a_cdn() -> None:
    assert site_hosts("https://moms.suning.com/moms/index.action") == ("moms.suning.com", "suning.com")
    assert site_hosts("http://127.0.0.1:8123") == ("127.0.0.1",)
    assert site_hosts("https://jk.cn") == ("jk.cn",)
    hosts = site_hosts("https://erp.hupun.com")
    assert site_pattern(hosts).match("https://old-erp.hupun.com/calf-biz/trade/remark.html")
    assert site_pattern(hosts).match("https://cdn.example.com/app.js") is None
    assert site_pattern(hosts).match("https://nothupun.com/") is None


def test_replica_only_routes_and_data_urls_are_never_gated() -> None:
    hosts = ("127.0.0.1",)
    assert site_pattern(hosts).match("http://127.0.0.1:9000/api/list")
    assert site_pattern(hosts).match("http://127.0.0.1:9000/__replica__/state") is None
    assert site_pattern(hosts).match("data:text/plain,hello") is None


def test_the_defaults_are_gentle() -> None:
    settings = PlatformSettings()
    assert 1 <= settings.max_concurrent_requests <= 6
    assert settings.min_request_interval_ms >= 50


async def test_the_gate_caps_requests_in_flight() -> None:
    gate, in_flight, peak = Gate(limit=2, interval_s=0), 0, 0

    async def one(request: object) -> None:
        nonlocal in_flight, peak
        await gate.enter(request)  # type: ignore[arg-type]
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)  # the request is "on the wire"
        in_flight -= 1
        gate.leave(request)  # type: ignore[arg-type]

    await asyncio.gather(*(one(object()) for _ in range(8)))
    assert peak == 2
    assert gate.peak == 2 and gate.in_flight == 0


async def test_the_gate_spaces_request_starts() -> None:
    gate, starts = Gate(limit=0, interval_s=0.05), []

    async def one(request: object) -> None:
        await gate.enter(request)  # type: ignore[arg-type]
        starts.append(monotonic())
        gate.leave(request)  # type: ignore[arg-type]

    await asyncio.gather(*(one(object()) for _ in range(4)))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert all(gap >= 0.045 for gap in gaps), gaps


async def test_leaving_twice_or_unknown_requests_frees_nothing() -> None:
    gate, request = Gate(limit=1, interval_s=0), object()
    await gate.enter(request)  # type: ignore[arg-type]
    gate.leave(request)  # type: ignore[arg-type]
    gate.leave(request)  # type: ignore[arg-type]
    gate.leave(object())  # type: ignore[arg-type]
    assert gate.in_flight == 0
    await asyncio.wait_for(gate.enter(object()), timeout=1)  # type: ignore[arg-type]


# -- in a real browser context ---------------------------------------------------------------------


@dataclass
class Counter:
    in_flight: int = 0
    peak: dict[str, int] = field(default_factory=dict)
    starts: dict[str, list[float]] = field(default_factory=dict)

    async def slow(self, request: Request) -> PlainTextResponse:
        kind = request.path_params.get("kind", "api")
        self.starts.setdefault(kind, []).append(monotonic())
        self.in_flight += 1
        self.peak[kind] = max(self.peak.get(kind, 0), self.in_flight)
        await asyncio.sleep(0.15)  # the server's latency, not a test wait
        self.in_flight -= 1
        return PlainTextResponse("ok")


PAGE = "<!doctype html><title>t</title><p>politeness</p>"
CROSS_HOST_BURST = (
    "(base) => Promise.all([...Array(6)].map((_, i) => fetch(base + '/api/slow?i=' + i, {mode: 'no-cors'})))"
)
BURST = "(path) => Promise.all([...Array(6)].map((_, i) => fetch(path + '?i=' + i).then((r) => r.text())))"


@pytest_asyncio.fixture(loop_scope="session")
async def server() -> AsyncIterator[tuple[str, Counter]]:
    counter = Counter()
    app = Starlette(routes=[
        Route("/", lambda _: HTMLResponse(PAGE)),
        Route("/api/slow", counter.slow),
        Route("/__replica__/{kind}", counter.slow),
    ])
    async with serve_app(app) as base:
        yield base, counter


@pytest.mark.parametrize(("limit", "interval_ms"), [(2, 0), (0, 60)])
async def test_a_burst_of_fetches_is_gated_in_the_browser(
    browser: Browser, server: tuple[str, Counter], limit: int, interval_ms: int
) -> None:
    base, counter = server
    counter.peak.clear()
    counter.starts.clear()
    context = await browser.new_context()
    settings = PlatformSettings(max_concurrent_requests=limit, min_request_interval_ms=interval_ms)
    gate = await apply_politeness(context, settings, site_hosts(base))
    assert gate is not None
    page = await context.new_page()
    await page.goto(base)
    await page.evaluate(BURST, "/api/slow")
    await page.evaluate(BURST, "/__replica__/slow")
    await context.close()
    if limit:
        assert counter.peak["api"] == limit
    else:
        gaps = [b - a for a, b in itertools.pairwise(counter.starts["api"])]
        assert min(gaps) >= interval_ms / 1000 * 0.8, gaps
    assert counter.peak["slow"] == 6  # the replica's own routes are never held back
    assert gate.in_flight == 0


async def test_no_gate_no_route(browser: Browser) -> None:
    context = await browser.new_context()
    off = PlatformSettings(max_concurrent_requests=0, min_request_interval_ms=0)
    assert await apply_politeness(context, off, ("127.0.0.1",)) is None
    await context.close()


async def test_requests_to_hosts_the_gate_does_not_cover_pass_untouched(
    browser: Browser, server: tuple[str, Counter]
) -> None:
    """`localhost` reaches the same server as `127.0.0.1` but is not the platform's host: a CDN."""
    base, counter = server
    counter.peak.clear()
    context = await browser.new_context()
    settings = PlatformSettings(max_concurrent_requests=1, min_request_interval_ms=0)
    gate = await apply_politeness(context, settings, ("127.0.0.1",))
    assert gate is not None
    page = await context.new_page()
    await page.goto(base)
    await page.evaluate(CROSS_HOST_BURST, base.replace("127.0.0.1", "localhost"))
    await context.close()
    assert counter.peak["api"] == 6  # all six at once: none held back
    assert gate.peak == 1  # only the page itself passed the gate


def test_the_gate_pattern_is_matched_by_the_driver_not_by_python() -> None:
    """A compiled pattern (Playwright matches it in its driver), never a callable."""
    pattern = site_pattern(("jk.cn",))
    assert pattern.match("https://www.jk.cn/m.api?_mt=seller.order.list")
    assert not pattern.match("https://cdn.jk.cn.example.com/a.js")
    assert not pattern.match("https://jk.cn/__replica__/sms")
