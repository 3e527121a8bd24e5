"""Replica of 万里牛 (Hupun) ERP + WMS: the erp host (login, shell, home) and the biz host
(the `old-erp` business pages shown in the shell's cross-origin iframe).

From public facts (docs/platforms.md §8, §10.6; userscripts driving erp.hupun.com and
old-erp.hupun.com/calf-biz/trade/*; Hupun's open API and WMS help docs): the Vue login under `#app`
with "切换账号登录", `#input-password`, `.login-btn` and an error span; `/frame/home` with an ad
popup, a refresh icon and counters; `/frame/<menuId>` shells around a cross-origin iframe reached
through `/service/sso/cookie/init?token=…&key=…` (`CALFSESSIONID`); Element-UI query bars with
`div.more-button`/`.opened`, body-level `el-select-dropdown`s, `.hp-pager` up to 1000 rows,
vxe grids with `tr[rowid] td[colid]`, the `#panelTask` 系统任务 panel; ERP statuses, `tid`/`tradeNo`,
the WMS B2C states and 挂起 on a refund.
Invented [I]: every API path and JSON shape (documented in erp.py / biz.py), menu ids 1103 / 331,
the slider, the WMS page combining all states, when the wave job starts (jobs.py), the shares of
each state (data.py). Data: built from the marketplace ledger (`replicas.common.world`) once every
replica served with it is built (or on first use, for a replica built without a server), or
a synthetic ledger when served alone (`items` = orders per marketplace, ledger.py). This replica
reads the ledger and publishes nothing to it: it is the ERP the marketplaces' orders flow into.
Fault names: state.FAULTS. Replica-only routes: erp `/__replica__/state`, erp
`POST /__replica__/expire`, biz `/__replica__/state`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.hupun.biz import BizApp
from replicas.hupun.erp import ErpApp
from replicas.hupun.state import FAULTS, SiteState


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
    env.world.when_built(lambda: state.data)  # the ledger is complete then: make the dataset
    apps: dict[str, ASGIApp] = {"erp": ErpApp(state).build(), "biz": BizApp(state).build()}
    if env.scenario.has("slow"):
        ms = int(env.scenario.arg("slow", "ms", 1500))
        apps = {host: _Slow(app, ms) for host, app in apps.items()}
    return apps


REPLICA = ReplicaSpec(
    key="hupun",
    hosts=("erp", "biz"),
    main="erp",
    build=build,
    faults=FAULTS,
    host_aliases={"erp": "erp.hupun.com", "biz": "old-erp.hupun.com"},
    reads_world=True,
)
