"""The benchmark's floor covers every replica and follows the replicas' own page-size caps."""

from __future__ import annotations

from bench.floors import FLOORS, floor_requests
from replicas import available
from replicas.pdd.api import LISTS as PDD_LISTS
from sweeper.flow import discover_flows


def test_every_replica_and_flow_has_a_floor() -> None:
    assert set(FLOORS) == set(available()) == set(discover_flows())


def test_pages_at_the_largest_size_an_empty_list_still_costs_one_request() -> None:
    pdd = FLOORS["pdd"]
    orders_cap = next(s.max_size for s in PDD_LISTS if s.name == "orders")
    assert pdd.lists["orders_to_ship"] == orders_cap == 50  # docs/platforms.md: 50 on orders
    assert pdd.lists["aftersales"] == 100  # the after-sales API takes 100
    sizes = {"orders_to_ship": 2000, "aftersales": 2000, "work_orders": 0, "prescriptions": 51}
    assert floor_requests("pdd", sizes) == 2 + 40 + 20 + 1 + 2


def test_webforms_lists_pay_one_get_before_their_postbacks() -> None:
    jiage = FLOORS["jiage315"]
    assert jiage.per_list == 1
    assert floor_requests("jiage315", dict.fromkeys(jiage.lists, 250)) == 2 + 3 * (1 + 3)


def test_the_erp_pages_a_thousand_rows() -> None:
    assert set(FLOORS["hupun"].lists.values()) == {1000}
