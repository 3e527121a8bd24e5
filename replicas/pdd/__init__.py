"""Replica of the 拼多多 merchant back-end (mms.pinduoduo.com), from docs/platforms.md §1 and §10.1.

One host, "mms". Pages: /login/, /home/, /orders/list, /aftersales/aftersale_list,
/aftersales/work_order/list, /orders/medicine and their detail pages; the data comes from POST JSON
APIs in the `{success, errorCode, errorMsg, result}` envelope. Faults: see `state.FAULTS`.
Scenario extras: `fault_args.build.suffix` (BeastCore class suffix, default 5-188-0) and
`fault_args.accounts` ({name = password}) for more accepted logins.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.pdd import api, auth, backdoor, details, pages
from replicas.pdd.ledger import ledger
from replicas.pdd.render import Renderer
from replicas.pdd.state import FAULTS, PddState


async def _no_icon(request: Request) -> Response:
    return Response(status_code=204)


def build(env: ReplicaEnv) -> Mapping[str, ASGIApp]:
    state = PddState(env)
    env.world.publish("pdd", lambda: ledger(state))
    renderer = Renderer(state)
    routes = [
        *auth.routes(state),
        *api.routes(state),
        *pages.routes(state, renderer),
        *details.routes(state, renderer),
        *backdoor.routes(state),
        Route("/favicon.ico", _no_icon),
    ]
    app = Starlette(routes=routes)
    app.state.pdd = state
    return {"mms": app}


REPLICA = ReplicaSpec(key="pdd", hosts=("mms",), main="mms", build=build, faults=FAULTS)
