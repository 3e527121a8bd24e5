"""The marketplace replicas publish their open orders and returns for the ERP replica to pull."""

from __future__ import annotations

import random
from typing import Any

from replicas import available
from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import HostMap, ReplicaEnv
from replicas.common.world import LedgerKind, World
from tests.helpers import FIXED_NOW

MARKETS = ("admin", "jiage315", "pdd", "pingan", "suning", "xywy", "yaofangwang")


def _build(world: World, key: str, **scenario: Any) -> None:
    spec = available()[key]
    env = ReplicaEnv(key=key, scenario=PlatformScenario(**scenario), clock=ReplicaClock(FIXED_NOW),
                     rng=random.Random(3), hosts=HostMap({h: f"http://{h}.test" for h in spec.hosts}),
                     world=world)
    spec.build(env)


def test_every_marketplace_publishes_orders_to_ship_and_returns() -> None:
    world = World()
    for key in MARKETS:
        _build(world, key)
    orders = world.orders()
    kinds = {(o.platform, o.kind) for o in orders}
    for key in MARKETS:
        assert (key, LedgerKind.AWAITING_SHIPMENT) in kinds, key
    for key in ("jiage315", "pdd", "pingan", "suning", "xywy", "yaofangwang"):
        assert (key, LedgerKind.RETURN) in kinds, key
    assert all(o.order_no for o in orders)
    assert any(o.cod for o in orders if o.platform == "admin")


def test_the_ledger_reads_live_state_including_scenario_records() -> None:
    world = World()
    _build(world, "admin", replace={"orders": [
        {"order_no": "GW261126080001", "state": "20", "pay_type": "3"},
        {"order_no": "GW261126080002", "state": "30", "pay_type": "2"},  # shipped: not to ship
    ]})
    _build(world, "pdd", replace={"aftersales": [
        {"orderSn": "261126-000000000000009", "afterSalesTitle": "退货退款，待商家处理"},
        {"orderSn": "261126-000000000000010", "afterSalesTitle": "退款成功"},  # closed: not waiting
    ]})
    ledger = world.orders()
    to_ship = [o for o in ledger if o.platform == "admin"]
    assert [(o.order_no, o.kind, o.cod) for o in to_ship] == [
        ("GW261126080001", LedgerKind.AWAITING_SHIPMENT, True)  # GW…002 has shipped: not listed
    ]
    returns = [o.order_no for o in ledger if o.kind is LedgerKind.RETURN]
    assert returns == ["261126-000000000000009"]


def test_a_replica_served_alone_has_an_empty_world() -> None:
    assert World().orders() == []
