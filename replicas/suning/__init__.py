"""Replica of 苏宁易购's merchant back-end: mpassport (login), masc (SMS step), moms (MOMS pages).

Facts: docs/platforms.md §3 and §10.3. Three origins, like the real site: the login host issues a
one-time ticket in the `service=` redirect and moms exchanges it for its own `sopSecureToken`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.suning.ledger import ledger
from replicas.suning.moms import build_moms
from replicas.suning.passport import build_masc, build_mpassport
from replicas.suning.state import FAULTS, SuningState


def build(env: ReplicaEnv) -> Mapping[str, ASGIApp]:
    state = SuningState(env)
    env.world.publish("suning", lambda: ledger(state))
    return {"mpassport": build_mpassport(state), "masc": build_masc(state), "moms": build_moms(state)}


REPLICA = ReplicaSpec(
    key="suning",
    hosts=("mpassport", "masc", "moms"),
    main="moms",
    build=build,
    faults=FAULTS,
    host_aliases={
        "mpassport": "mpassport.suning.com",
        "masc": "masc.suning.com",
        "moms": "moms.suning.com",
    },
)
