"""Replica of the 寻医问药 store admin (storeadmin.wksc.xywy.com), the seller back-end of 闻康商城.

Built without knowledge of the real site; every page is invented [I]. The only facts
(docs/platforms.md §5) are that `wksc` is 闻康商城, xywy's drug mall, and that no public code touches
this host. What is here is a plausible generic Java (Spring Boot + Thymeleaf-style) store admin:
a `JSESSIONID` session, a form login with a 4-character image captcha when the device is unknown, a
password failed or `challenge_on_login` is on, a dashboard of counters (待发货, 退款中, 未回复咨询), and
order / refund / consultation lists with status tabs whose script loads `{code, msg, data}` JSON pages
(`?page=` and `?size=` kept in the address). Fault names: `replicas.xywy.state.FAULTS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.xywy.api import Api
from replicas.xywy.generate import build_dataset
from replicas.xywy.pages import Pages
from replicas.xywy.state import FAULTS, SiteState

KEY = "xywy"


class _Slow:
    """The `slow` fault: every response (replica-only routes aside) takes `ms` longer."""

    def __init__(self, app: ASGIApp, ms: int) -> None:
        self.app = app
        self.delay_s = ms / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__replica__/"):
            await asyncio.sleep(self.delay_s)
        await self.app(scope, receive, send)


def build(env: ReplicaEnv) -> Mapping[str, ASGIApp]:
    state = SiteState(env)
    data = build_dataset(env.rng, env.clock.start, env.scenario)
    # The ERP replica reads this later, so it sees the orders as they are then.
    env.world.publish(KEY, lambda: data.ledger(KEY))
    app: ASGIApp = Starlette(routes=[*Pages(state, data).routes(), *Api(state, data).routes()])
    if env.scenario.has("slow"):
        app = _Slow(app, int(env.scenario.arg("slow", "ms", 1500)))
    return {"storeadmin": app}


REPLICA = ReplicaSpec(key=KEY, hosts=("storeadmin",), main="storeadmin", build=build, faults=FAULTS)
