"""Routes of the 平安健康 replica (one host standing in for www.jk.cn, jk.cn and api.jk.cn).

    GET  /                       → /sell/
    GET  /sell/                  the seller console SPA (hash routes #/home, #/order/list?status=20 …)
    GET  /login?redirect=…       login page (captcha row only when the site asks for one)
    POST /login/loginname        loginName, password (MD5 hex), captcha, _cap, appId → {success, model._wtk}
    GET  /captcha/image?key=…    the captcha image (SVG)
    POST /m.api?_mt=…            the gateway (see gateway.py)
    GET  /__replica__/state      counters for tests: logins, sessions, calls per method, list sizes
    POST /__replica__/expire     invalidate every token now
    GET  /__replica__/captcha    the answers of the issued captchas (a test plays the human with it)
"""

from __future__ import annotations

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from replicas.common.site import ReplicaEnv
from replicas.pingan import auth, pages
from replicas.pingan.gateway import gateway
from replicas.pingan.ledger import ledger
from replicas.pingan.state import State

_NO_STORE = {"Cache-Control": "no-store"}


def _state(request: Request) -> State:
    state: State = request.app.state.pingan
    return state


async def root(request: Request) -> Response:
    return RedirectResponse(pages.HOME, status_code=302)


async def spa(request: Request) -> Response:
    return HTMLResponse(pages.spa_page(_state(request)), headers=_NO_STORE)


async def login(request: Request) -> Response:
    return HTMLResponse(pages.login_page(_state(request)), headers=_NO_STORE)


async def replica_state(request: Request) -> Response:
    return JSONResponse(_state(request).snapshot())


async def replica_expire(request: Request) -> Response:
    return JSONResponse({"expired": _state(request).expire_all()})


async def replica_captcha(request: Request) -> Response:
    state = _state(request)
    latest = state.latest_captcha
    return JSONResponse({
        "latest": None if latest is None else {"key": latest, "answer": state.captchas.get(latest)},
        "answers": dict(state.captchas),
    })


class Slow:
    """The `slow` fault: every page and API answer waits `ms` first (replica behaviour)."""

    def __init__(self, app: ASGIApp, ms: int) -> None:
        self.app = app
        self.seconds = ms / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__replica__/"):
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


def build_app(env: ReplicaEnv) -> ASGIApp:
    app = Starlette(routes=[
        Route("/", root),
        Route("/sell", root),
        Route("/sell/", spa),
        Route("/login", login),
        Route("/login/loginname", auth.login_name, methods=["POST"]),
        Route("/captcha/image", auth.captcha_image),
        Route("/m.api", gateway, methods=["POST"]),
        Route("/__replica__/state", replica_state),
        Route("/__replica__/expire", replica_expire, methods=["POST"]),
        Route("/__replica__/captcha", replica_captcha),
    ])
    app.state.pingan = state = State(env)
    env.world.publish("pingan", lambda: ledger(state))
    if env.scenario.has("slow"):
        return Slow(app, int(env.scenario.arg("slow", "ms", 1000)))
    return app
