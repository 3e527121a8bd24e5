"""Replica of admin.syt.cn, the company's own shop admin (上元堂电商管理系统).

Facts: docs/platforms.md §7 and §10.5 (envelope `{state, msg, data}` with state 10 = OK, `GW`
order numbers, order states 0/10/20/30/40/50, `page` + `size` paging). Everything else is a
plausible in-house PHP admin: a `PHPSESSID` session, a login form (with an image captcha under
`challenge_on_login`), a dashboard with an announcement popup, and list pages whose vanilla JS
loads rows from the JSON endpoints. Fault names: `replicas.admin.state.FAULTS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from replicas.admin.api import Api
from replicas.admin.data import build_dataset
from replicas.admin.ledger import ledger
from replicas.admin.pages import Pages
from replicas.admin.state import FAULTS, SiteState
from replicas.common.site import ReplicaEnv, ReplicaSpec


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
    env.world.publish("admin", lambda: ledger(data))
    app: ASGIApp = Starlette(routes=[*Pages(state, data).routes(), *Api(state, data).routes()])
    if env.scenario.has("slow"):
        app = _Slow(app, int(env.scenario.arg("slow", "ms", 1500)))
    return {"admin": app}


REPLICA = ReplicaSpec(key="admin", hosts=("admin",), main="admin", build=build, faults=FAULTS)
