"""Replica of 药房网's store back-end (yaodian.yaofangwang.com) and its login host (reg.).

Facts: docs/platforms.md §4 and §10.4. Two hosts on 127.0.0.1 (different ports, so cookies set
by `reg` reach `yaodian` as the real `.yaofangwang.com` cookies do). Replica-only routes:
`POST yaodian/__replica__/expire`, `GET {reg,yaodian}/__replica__/state`,
`GET reg/__replica__/captcha` (the code the captcha image shows, for a test playing the human).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.yaofangwang.ledger import ledger
from replicas.yaofangwang.reg import build_reg
from replicas.yaofangwang.state import FAULTS, SiteState
from replicas.yaofangwang.yaodian import build_yaodian


def build(env: ReplicaEnv) -> Mapping[str, ASGIApp]:
    state = SiteState(env)
    env.world.publish("yaofangwang", lambda: ledger(state))
    return {"reg": build_reg(state), "yaodian": build_yaodian(state)}


REPLICA = ReplicaSpec(
    key="yaofangwang",
    hosts=("reg", "yaodian"),
    main="yaodian",
    build=build,
    faults=FAULTS,
    host_aliases={"reg": "reg.yaofangwang.com", "yaodian": "yaodian.yaofangwang.com"},
)
