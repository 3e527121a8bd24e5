"""The replicas in processes of their own: the "network" does not share the sweeper's interpreter.

`sweeper demo` and the tests serve the replicas from a thread of the sweeping process; for a
benchmark that would make the servers' Python (rendering pages, encoding 1,000-row JSON) compete
with the sweeper's for one GIL, a cost no real back-end puts on its clients. Here each platform's
replica runs in a child process of its own, as each real back-end is a server of its own: one
interpreter serving all eight would answer one platform late while it encodes another's page
(measured: pdd's answers came 37 ms late on average, p90 61 ms, with all eight in one process).
They are still on the same cores, so their CPU is not free: the benchmark reports it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from replicas import available
from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import HostMap

START_TIMEOUT_S = 600.0  # making 10,000 items a list for every platform takes a while on 2 cores


def _serve(scenario_json: str, world: list[str], key: str, conn: Connection) -> None:
    scenario = Scenario.model_validate_json(scenario_json)
    # The ERP replica reads the marketplaces' orders: its child builds them all, for its own copy.
    built = world if available()[key].reads_world else [key]
    with serve_replicas(scenario, built, serve=[key]) as running:
        conn.send({k: dict(h.urls) for k, h in running.hosts.items()})
        while True:
            message = conn.recv()
            if message == "counts":
                conn.send(dict(running.request_counts))
            else:
                break


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send("stop")
            self.process.join(timeout=15)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)


@dataclass
class ChildReplicas:
    running: RunningReplicas
    children: list[_Child]

    @property
    def pids(self) -> tuple[int, ...]:
        return tuple(c.process.pid or 0 for c in self.children)

    def request_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for child in self.children:
            child.conn.send("counts")
            counts.update(child.conn.recv())
        return counts


@contextmanager
def replicas_in_children(
    scenario: Scenario, keys: list[str], world: list[str]
) -> Iterator[ChildReplicas]:
    """Start each replica of `keys` in a child process; a RunningReplicas the sweep can use, and
    the counts. The ERP replica's child builds all of `world`, so its ledger is the same whether
    it is swept alone or with the marketplaces."""
    mp = multiprocessing.get_context("spawn")
    with ExitStack() as stack:
        children = []
        for key in keys:  # all started before any is waited for: they import side by side
            parent, child_end = mp.Pipe()
            process = mp.Process(
                target=_serve, args=(scenario.model_dump_json(), world, key, child_end), daemon=True
            )
            process.start()
            child = _Child(process, parent)
            stack.callback(child.stop)
            children.append(child)
        urls: dict[str, dict[str, str]] = {}
        for key, child in zip(keys, children, strict=True):
            if not child.conn.poll(START_TIMEOUT_S):
                raise RuntimeError(f"the {key} replica did not start in time")
            urls.update(child.conn.recv())
        specs = available()
        running = RunningReplicas(
            hosts={k: HostMap(dict(u)) for k, u in urls.items()}, specs={k: specs[k] for k in urls}
        )
        yield ChildReplicas(running, children)
