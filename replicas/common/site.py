"""How a replica package describes itself, and the environment its apps are built in."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.types import ASGIApp

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.world import World

DEMO_USERNAME = "sweeper-demo"
# Not a secret: the replicas are public stand-ins and accept this for the demo account.
DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class HostMap:
    """Base URLs of every replica host, filled in once ports are bound (before any request)."""

    urls: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, host: str) -> str:
        return self.urls[host]


@dataclass
class ReplicaEnv:
    """What a replica's `build` gets: its scenario slice, the clock, a seeded RNG and the hosts."""

    key: str
    scenario: PlatformScenario
    clock: ReplicaClock
    rng: random.Random
    hosts: HostMap
    latency_ms: int = 0
    world: World = field(default_factory=World)


@dataclass(frozen=True)
class ReplicaSpec:
    """A replica package's declaration.

    `hosts` names the origins the site spans (e.g. a login host and a store host); each gets its
    own port. `main` is the host whose URL a flow is configured with. `reads_world`: the replica
    reads what the others publish (the ERP's ledger), so it must be built with them.
    """

    key: str
    hosts: tuple[str, ...]
    main: str
    build: Callable[[ReplicaEnv], Mapping[str, ASGIApp]]
    faults: tuple[str, ...] = ()
    host_aliases: Mapping[str, str] = field(default_factory=dict)
    reads_world: bool = False
