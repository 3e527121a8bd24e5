"""The replicas' latency is an answer time: the replica works within it, not after it."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from replicas.common.server import RequestCounter

LATENCY_S = 0.4


async def _serve_once(path: str, counts: dict[str, int]) -> tuple[float, float, list[Message]]:
    """One request to `path` through a RequestCounter with LATENCY_S: when its app was called and
    when the response started, both measured from the request's arrival, and what was sent."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    called: list[float] = []
    sent: list[Message] = []
    response_started: list[float] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        called.append(loop.time() - started)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            response_started.append(loop.time() - started)
        sent.append(message)

    counter = RequestCounter(app, int(LATENCY_S * 1000), counts, "pdd")
    await counter({"type": "http", "path": path}, receive, send)
    return called[0], response_started[0], sent


async def test_the_replica_works_during_the_latency_and_answers_when_it_is_over() -> None:
    counts: dict[str, int] = {}
    called, answered, sent = await _serve_once("/orders", counts)

    # Called at once (before, it was called only after the whole latency had been slept) ...
    assert called < LATENCY_S / 2
    # ... and the response still starts no sooner than the latency after the request.
    assert answered >= LATENCY_S
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert counts == {"pdd": 1}


async def test_control_paths_are_neither_delayed_nor_counted() -> None:
    counts: dict[str, int] = {}
    _, answered, _ = await _serve_once("/__replica__/state", counts)

    assert answered < LATENCY_S
    assert counts == {}
