"""Serve replicas on 127.0.0.1 (free ports) from a background thread.

    with serve_replicas(scenario, ["pdd"]) as running:
        running.base_url("pdd")            # the main host of the pdd replica
        running.host_url("pdd", "mms")     # any host of it
"""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import Scenario
from replicas.common.site import HostMap, ReplicaEnv, ReplicaSpec
from replicas.common.world import World


class RequestCounter:
    """ASGI middleware: counts requests per replica (for the benchmark) and adds latency.

    The latency stands in for a real back-end's answer time: each response starts `latency_ms`
    after its request arrived, and the replica's own work (filtering, shaping, encoding a page)
    happens within that time, as a real server's does within its answer time. Slept before the
    work, as it once was, every answer took the latency plus the replica's CPU: in a benchmark run
    of all eight at once, 万里牛's 1,000-row pages took a median 23-31 ms more, a tenth of them over
    60 ms and the slowest 0.5 s; not the latency the scenario says. A replica slower than the
    latency still answers when it is done. It is the replica's behaviour, never a way for a test to
    wait.
    """

    def __init__(
        self, app: ASGIApp, latency_ms: int, counts: dict[str, int], key: str,
        seen: Callable[[str, str], None] | None = None,
    ) -> None:
        self.app = app
        self.latency_s = latency_ms / 1000
        self.counts = counts
        self.key = key
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__replica__/"):
            self.counts[self.key] = self.counts.get(self.key, 0) + 1
            if self.seen is not None:
                self.seen(self.key, scope["path"])
            if self.latency_s:
                send = _held_until(asyncio.get_running_loop().time() + self.latency_s, send)
        await self.app(scope, receive, send)


def _held_until(due: float, send: Send) -> Send:
    """`send`, with the response's first message held until the event loop's clock reaches `due`."""

    async def send_when_due(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))
        await send(message)

    return send_when_due


class ListeningServer(uvicorn.Server):
    """A uvicorn server that says once it is listening (an event, not a poll), to any thread."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.listening.set()


@dataclass
class RunningReplicas:
    hosts: dict[str, HostMap] = field(default_factory=dict)
    specs: dict[str, ReplicaSpec] = field(default_factory=dict)
    request_counts: dict[str, int] = field(default_factory=dict)
    watchers: list[tuple[str, str, threading.Event]] = field(default_factory=list)

    def base_url(self, key: str) -> str:
        return self.hosts[key][self.specs[key].main]

    def host_url(self, key: str, host: str) -> str:
        return self.hosts[key][host]

    def when_requested(self, key: str, path_fragment: str) -> threading.Event:
        """An event set when a request whose path contains `path_fragment` reaches replica `key`.

        For tests that must act at a precise point of a sweep (e.g. kill the browser mid-list)
        without polling: wait on the event (from a thread) instead of sleeping."""
        event = threading.Event()
        self.watchers.append((key, path_fragment, event))
        return event

    def seen(self, key: str, path: str) -> None:
        for wanted, fragment, event in self.watchers:
            if wanted == key and fragment in path:
                event.set()


def _bind_free_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@contextmanager
def serve_replicas(
    scenario: Scenario, keys: Iterable[str] | None = None, *, serve: Iterable[str] | None = None
) -> Iterator[RunningReplicas]:
    """Start the named replicas (all enabled ones by default); stop them on exit.

    With `serve`, every named replica is built (so the ERP replica reads the marketplaces'
    published orders, as it does when they are served together) but only those in `serve` listen.
    """
    from replicas import available

    specs = available()
    wanted = list(keys) if keys is not None else [
        k for k in specs if scenario.for_platform(k).enabled
    ]
    unknown = [k for k in wanted if k not in specs]
    if unknown:
        raise KeyError(f"no replica for: {', '.join(unknown)}")
    clock = ReplicaClock(scenario.clock)
    running = RunningReplicas()
    world = World()  # marketplaces publish into it, the ERP replica reads it
    servers: list[tuple[ListeningServer, socket.socket]] = []
    serving = set(wanted if serve is None else serve)
    for key in wanted:
        spec = specs[key]
        hostmap = HostMap()
        sockets = {host: _bind_free_port() for host in spec.hosts}
        for host, sock in sockets.items():
            hostmap.urls[host] = f"http://127.0.0.1:{sock.getsockname()[1]}"
        env = ReplicaEnv(
            key=key,
            scenario=scenario.for_platform(key),
            clock=clock,
            rng=random.Random(scenario.seed ^ zlib.crc32(key.encode())),
            hosts=hostmap,
            latency_ms=scenario.latency_for(key),
            world=world,
        )
        apps = spec.build(env)
        if key not in serving:
            for sock in sockets.values():
                sock.close()
            continue
        for host, app in apps.items():
            wrapped = RequestCounter(app, env.latency_ms, running.request_counts, key, running.seen)
            config = uvicorn.Config(
                wrapped, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
            )
            servers.append((ListeningServer(config), sockets[host]))
        running.hosts[key] = hostmap
        running.specs[key] = spec
    world.built()
    thread = _ServerThread(servers)
    thread.start()
    thread.wait_started()
    try:
        yield running
    finally:
        thread.stop()


class _ServerThread(threading.Thread):
    def __init__(self, servers: list[tuple[ListeningServer, socket.socket]]) -> None:
        super().__init__(name="replicas", daemon=True)
        self.servers = servers
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve_all())
        except BaseException as exc:  # surfaced to the starting thread by wait_started
            self._error = exc

    async def _serve_all(self) -> None:
        await asyncio.gather(*(srv.serve(sockets=[sock]) for srv, sock in self.servers))

    def wait_started(self, timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        for srv, _ in self.servers:
            if not srv.listening.wait(max(0.0, deadline - time.monotonic())):
                raise RuntimeError(f"replicas did not start in time: {self._error!r}")

    def stop(self) -> None:
        for srv, _ in self.servers:
            srv.should_exit = True
        self.join(timeout=10)
        for _, sock in self.servers:
            sock.close()
