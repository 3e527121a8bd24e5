"""A small ASGI app served for real on 127.0.0.1, for tests that need pages of their own."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp

from replicas.common.server import ListeningServer

START_TIMEOUT_S = 20.0


@asynccontextmanager
async def serve_app(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port, on this event loop; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    srv = ListeningServer(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(srv.serve(sockets=[sock]))
    try:
        # The server signals a threading event; a worker thread waits on it, not this loop.
        if not await asyncio.to_thread(srv.listening.wait, START_TIMEOUT_S):
            raise RuntimeError(f"the loopback server did not listen within {START_TIMEOUT_S:.0f} s")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        srv.should_exit = True
        await task
        sock.close()
