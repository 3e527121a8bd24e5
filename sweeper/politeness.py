"""Politeness: a per-platform cap on requests in flight and a minimum interval between them.

A shop's back-end sees one operator's browser; a sweep must not look like a burst of traffic from
it. Every request a platform's browser context sends to that platform's own hosts passes a gate:

    max_concurrent_requests   at most this many of them in flight at once (0: no cap)
    min_request_interval_ms   at least this long between the starts of two of them (0: none)

The gate is a `context.route` handler. A request waits (the browser holds it) until the gate lets it
go and counts as in flight until it finishes or fails. Requests to other hosts (CDNs, fonts),
`data:` URLs and the replicas' own `/__replica__/` routes pass untouched, without a trip to Python
(the route's URL pattern is matched in Playwright's driver). With both settings at 0 no
route is installed at all, so nothing is paid (Playwright disables the HTTP cache of a context
that routes requests).

A platform reads its lists in a few tabs at once (`lists_in_parallel`, sweeper.side_by_side), each
tab one step after the other; the gate is per context, so it caps all the tabs together and binds
on bursts, e.g. three tabs turning a page while one loads its document, scripts and XHRs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from collections.abc import Iterable
from time import monotonic
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Request, Route

from sweeper.settings import PlatformSettings

REPLICA_ONLY = "/__replica__/"


def site_hosts(base_url: str) -> tuple[str, ...]:
    """The host names a platform's gate covers: its base URL's host and, for a domain name, every
    host of the same site (`moms.suning.com` -> `suning.com`, so `mpassport.suning.com` too)."""
    host = (urlsplit(base_url).hostname or "").lower()
    if not host:
        return ()
    if _is_ip(host) or host == "localhost":
        return (host,)
    labels = host.split(".")
    site = ".".join(labels[-2:]) if len(labels) > 2 else host
    return (host,) if site == host else (host, site)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def site_pattern(hosts: Iterable[str]) -> re.Pattern[str]:
    """The URLs a gate covers: http(s) to one of `hosts` or a subdomain of it, any port, but not
    the replicas' own `/__replica__/` routes.

    A pattern, not a Python predicate, because Playwright matches a pattern in its driver: a
    request the gate does not cover (a CDN's script, a font, an image) then never makes the round
    trip to Python and back, where a predicate would make every request of the page take it.
    """
    names = "|".join(re.escape(f"[{h}]" if ":" in h else h) for h in hosts)
    return re.compile(
        rf"^https?://(?:[^/?#@]*@)?(?:[^/?#@]*\.)?(?:{names})(?::\d+)?"
        rf"(?:/(?!{re.escape(REPLICA_ONLY[1:])})|[?#]|$)",
        re.IGNORECASE,
    )


class Gate:
    """At most `limit` requests in flight (0: any number), starts at least `interval_s` apart."""

    def __init__(self, limit: int, interval_s: float) -> None:
        self.limit = limit
        self.interval_s = interval_s
        self._slots = asyncio.Semaphore(limit) if limit > 0 else None
        self._spacing = asyncio.Lock()
        self._last_start = float("-inf")
        self._held: set[Request] = set()
        self.in_flight = 0
        self.peak = 0
        self.waited_s = 0.0

    async def enter(self, request: Request) -> None:
        """Wait until `request` may start; it holds its slot until `leave(request)`."""
        asked = monotonic()
        if self._slots is not None:
            await self._slots.acquire()
        self._held.add(request)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        if self.interval_s > 0:
            async with self._spacing:
                delay = self._last_start + self.interval_s - monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)  # rate limiting, not a page wait
                self._last_start = monotonic()
        self.waited_s += monotonic() - asked

    def leave(self, request: Request) -> None:
        if request not in self._held:
            return
        self._held.discard(request)
        self.in_flight -= 1
        if self._slots is not None:
            self._slots.release()


async def apply_politeness(
    context: BrowserContext, settings: PlatformSettings, hosts: Iterable[str]
) -> Gate | None:
    """Gate the context's requests to `hosts` by the platform's politeness settings.

    Returns the gate (for measurements), or None when the settings ask for no gating.
    """
    limit, interval_ms = settings.max_concurrent_requests, settings.min_request_interval_ms
    names = tuple(h.lower() for h in hosts if h)
    if (limit <= 0 and interval_ms <= 0) or not names:
        return None
    gate = Gate(limit, interval_ms / 1000)

    async def handle(route: Route) -> None:
        request = route.request
        await gate.enter(request)
        try:
            await route.fallback()
        except Exception:
            gate.leave(request)  # the page went away while the request waited: free its slot
            raise

    context.on("requestfinished", gate.leave)
    context.on("requestfailed", gate.leave)
    await context.route(site_pattern(names), handle)
    return gate
