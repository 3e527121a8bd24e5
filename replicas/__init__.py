"""Local stand-ins for the seller back-ends, one package per platform.

Each package exposes `REPLICA`, a `ReplicaSpec` (see replicas.common.site). They serve synthetic
data on 127.0.0.1 for the tests, the benchmark and `sweeper demo`. Routes under `/__replica__/`
exist only here (SMS outbox, request counters, forced expiry): flows never call them.
"""

from __future__ import annotations

import importlib
import pkgutil

from replicas.common.site import ReplicaSpec


def available() -> dict[str, ReplicaSpec]:
    """Every replica package's spec, by platform key."""
    import replicas

    found: dict[str, ReplicaSpec] = {}
    for info in pkgutil.iter_modules(replicas.__path__):
        if not info.ispkg or info.name == "common":
            continue
        module = importlib.import_module(f"replicas.{info.name}")
        spec = getattr(module, "REPLICA", None)
        if isinstance(spec, ReplicaSpec):
            found[spec.key] = spec
    return dict(sorted(found.items()))
