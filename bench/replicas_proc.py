"""The replicas in a process of their own: the "network" does not share the sweeper's interpreter.

`sweeper demo` and the tests serve the replicas from a thread of the sweeping process; for a
benchmark that would make the servers' Python (rendering pages, encoding 1,000-row JSON) compete
with the sweeper's for one GIL, a cost no real back-end puts on its clients. Here they run in a
child process (still on the same cores, so their CPU is not free either: the benchmark reports it).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from replicas import available
from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import HostMap

START_TIMEOUT_S = 60.0


def _serve(scenario_json: str, keys: list[str], conn: Connection) -> None:
    scenario = Scenario.model_validate_json(scenario_json)
    with serve_replicas(scenario, keys) as running:
        conn.send({k: dict(h.urls) for k, h in running.hosts.items()})
        while True:
            message = conn.recv()
            if message == "counts":
                conn.send(dict(running.request_counts))
            else:
                break


@dataclass
class ChildReplicas:
    running: RunningReplicas
    process: BaseProcess
    conn: Connection

    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def request_counts(self) -> dict[str, int]:
        self.conn.send("counts")
        counts: dict[str, int] = self.conn.recv()
        return counts


@contextmanager
def replicas_in_child(scenario: Scenario, keys: list[str]) -> Iterator[ChildReplicas]:
    """Start the replicas in a child process; a RunningReplicas the sweep can use, and the counts."""
    mp = multiprocessing.get_context("spawn")
    parent, child = mp.Pipe()
    process = mp.Process(target=_serve, args=(scenario.model_dump_json(), keys, child), daemon=True)
    process.start()
    try:
        if not parent.poll(START_TIMEOUT_S):
            raise RuntimeError("the replicas did not start in time")
        urls: dict[str, dict[str, str]] = parent.recv()
        specs = available()
        running = RunningReplicas(
            hosts={k: HostMap(dict(u)) for k, u in urls.items()}, specs={k: specs[k] for k in urls}
        )
        yield ChildReplicas(running, process, parent)
    finally:
        if process.is_alive():
            parent.send("stop")
            process.join(timeout=15)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
