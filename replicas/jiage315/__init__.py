"""Replica of the 315价格网 (www.315jiage.cn) merchant centre.

Built without knowledge of the real merchant back-end; WebForms conventions are assumed [I].
What is known (docs/platforms.md §6, §10.5): the public site is ASP.NET (`.aspx` pages). The member
back-end was never found, so everything here follows a classic ASP.NET WebForms 4.x admin:

- `Login.aspx` on a master page (`ctl00$ContentPlaceHolder1$txtUserName` names,
  `ctl00_ContentPlaceHolder1_txtUserName` ids), a submit-button postback, `ASP.NET_SessionId` and a
  forms-authentication `.ASPXAUTH` cookie; an expired ticket is a 302 to `Login.aspx?ReturnUrl=…`.
- GridView lists (`Member/OrderList.aspx`, `RefundList.aspx`, `MessageList.aspx`) with postback
  paging (`javascript:__doPostBack('ctl00$ContentPlaceHolder1$gvOrders','Page$2')`): the whole form is
  re-POSTed with its `__VIEWSTATE`, which the server validates (webforms.py), and the URL never
  changes. AutoPostBack DropDownLists choose the status and the page size (10/20/50/100).
- Dates `yyyy/M/d H:mm:ss`, money "¥12.50", the yellow "Server Error in '/' Application." page.

Invented [I]: the pages' names and columns, order numbers (`yyyyMMddHHmmss` + 4 digits), refund
(`TK…`) and message (`LY…`) numbers, the status texts and the image captcha. Fault names:
`replicas.jiage315.state.FAULTS`. Replica-only routes: `/__replica__/state`, `POST
/__replica__/expire`, `/__replica__/captcha` (the code this browser's captcha shows).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.jiage315.pages import Site
from replicas.jiage315.state import FAULTS, SiteState


class _IisPaths:
    """IIS serves paths case-insensitively: `/member/orderlist.aspx` is the same page."""

    def __init__(self, app: ASGIApp, paths: list[str]) -> None:
        self.app = app
        self.canonical = {p.lower(): p for p in paths}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = self.canonical.get(scope["path"].lower(), scope["path"])
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


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
    env.world.publish(env.key, state.data.ledger)
    routes = Site(state).routes()
    app: ASGIApp = _IisPaths(Starlette(routes=routes), [r.path for r in routes])
    if env.scenario.has("slow"):
        app = _Slow(app, int(env.scenario.arg("slow", "ms", 1500)))
    return {"www": app}


REPLICA = ReplicaSpec(
    key="jiage315", hosts=("www",), main="www", build=build, faults=FAULTS,
    host_aliases={"www": "www.315jiage.cn"},
)
