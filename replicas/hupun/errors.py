"""Error answers both hosts share: nginx error pages and a page that hangs before a 504."""

from __future__ import annotations

import asyncio

from starlette.responses import HTMLResponse

from replicas.hupun.state import SiteState

_TITLES = {500: "500 Internal Server Error", 502: "502 Bad Gateway", 504: "504 Gateway Time-out"}


def error_page(status: int) -> HTMLResponse:
    title = _TITLES.get(status, str(status))
    body = (f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
            "<hr><center>nginx</center></body></html>")
    return HTMLResponse(body, status_code=status)


async def hang_then_504(state: SiteState) -> HTMLResponse:
    """The `timeout_page` fault: the gateway waits for the back-end, then gives up."""
    await asyncio.sleep(int(state.arg("timeout_page", "ms", 90_000)) / 1000)
    return error_page(504)
