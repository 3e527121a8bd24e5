"""`serve_replicas(..., serve=[...])`: every named replica is built, only some listen.

The benchmark serves each platform from a process of its own and sweeps platforms alone; the ERP
replica must then still pull the marketplaces' orders, or a platform alone would not be the same
work as with the others."""

from __future__ import annotations

import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx

from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
SCENARIO = Scenario(clock=NOW, platforms={k: PlatformScenario(items=7) for k in ("pdd", "hupun")})


def _home_counts(base_url: str) -> dict[str, Any]:
    with httpx.Client(base_url=base_url) as erp:
        login = erp.post("/login.d", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD, "ticket": ""})
        assert login.json()["code"] == 0
        counts: dict[str, Any] = erp.get("/o/home/counts.d").json()["data"]
        return counts


def test_the_erp_served_apart_counts_the_marketplace_orders_it_was_built_with() -> None:
    with serve_replicas(SCENARIO, ["pdd", "hupun"]) as both:
        together = _home_counts(both.base_url("hupun"))
    with serve_replicas(SCENARIO, ["pdd", "hupun"], serve=["hupun"]) as apart:
        assert set(apart.hosts) == {"hupun"}  # pdd was built, not served
        assert _home_counts(apart.base_url("hupun")) == together
    with serve_replicas(SCENARIO, ["hupun"]) as alone:
        assert _home_counts(alone.base_url("hupun")) != together  # its synthetic ledger


def test_only_the_served_replica_is_listed_and_it_listens() -> None:
    with serve_replicas(SCENARIO, ["pdd", "hupun"], serve=["hupun"]) as apart:
        served = {urlsplit(u).port for u in apart.hosts["hupun"].urls.values()}
        for port in served:
            with socket.create_connection(("127.0.0.1", port or 0), timeout=5):
                pass
        assert "pdd" not in apart.specs
