"""The erp host (real: erp.hupun.com): login, the shell frames and the home counters.

    GET  /login?redirect=/frame/…     Vue-style login page (QR panel first, "切换账号登录")
    POST /login.d                     JSON {username, password, ticket} -> {code, message, data}
    POST /captcha/slide/check.d       JSON {distance, width} -> a one-time ticket when dragged home
    GET  /frame/home                  shell + 待处理事项 counters (+ the ad popup once per login)
    GET  /frame/<menuId>              shell + cross-origin iframe via the biz SSO hop
    GET  /o/home/counts.d?_calf=erp-web[&refresh=1]   counters; cached per session until refreshed
    GET  /logout, /__replica__/state, POST /__replica__/expire

[I] Paths other than /login and /frame/* follow the `.d?_calf=erp-web` style seen on erp.hupun.com.
Envelope {code, message, data}: code 0 OK, 10001 not logged in, 10002 slider needed,
10003 wrong password, 10004 locked.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.hupun import erp_html, vocab
from replicas.hupun.errors import error_page, hang_then_504
from replicas.hupun.state import ERP_COOKIE, ErpSession, SiteState

NOT_LOGIN = {"code": 10001, "message": "登录已失效，请重新登录", "data": None}
LOGIN_CODES = {"OK": 0, "NEED_SLIDE": 10002, "BAD_PASSWORD": 10003, "LOCKED": 10004, "BAD_REQUEST": 10005}


def _html(body: str) -> HTMLResponse:
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?redirect={quote(target, safe='')}", status_code=302)


class ErpApp:
    def __init__(self, state: SiteState) -> None:
        self.state = state
        self.counts_cache: dict[str, dict[str, Any]] = {}

    def build(self) -> Starlette:
        return Starlette(routes=[
            Route("/", lambda r: RedirectResponse("/frame/home", status_code=302)),
            Route("/login", self.login_page),
            Route("/login.d", self.login, methods=["POST"]),
            Route("/captcha/slide/check.d", self.slide, methods=["POST"]),
            Route("/logout", self.logout),
            Route("/frame/home", self.home),
            Route("/frame/{menu}", self.frame),
            Route("/o/home/counts.d", self.counts),
            Route("/__replica__/state", self.replica_state),
            Route("/__replica__/expire", self.replica_expire, methods=["POST"]),
        ])

    def _session(self, request: Request) -> ErpSession | None:
        return self.state.erp_session(request.cookies.get(ERP_COOKIE, ""))

    async def login_page(self, request: Request) -> Response:
        target = request.query_params.get("redirect", "")
        if self.state.erp_session(request.cookies.get(ERP_COOKIE, ""), count=False) is not None:
            return RedirectResponse(target if target.startswith("/frame/") else "/frame/home", status_code=302)
        return _html(erp_html.login(self.state.hook))

    async def login(self, request: Request) -> Response:
        body = await _json_body(request)
        code, message, session = self.state.login(
            str(body.get("username", "")).strip(), str(body.get("password", "")), str(body.get("ticket", ""))
        )
        referer_target = _redirect_of(request.headers.get("referer", ""))
        data = {"redirect": referer_target} if session else None
        response = JSONResponse({"code": LOGIN_CODES[code], "message": message, "data": data})
        if session is not None:
            response.set_cookie(ERP_COOKIE, session.sid, path="/", httponly=True, samesite="lax")
        return response

    async def slide(self, request: Request) -> Response:
        body = await _json_body(request)
        try:
            done = float(body.get("distance", 0)) >= 0.9 * float(body.get("width", 1))
        except (TypeError, ValueError):
            done = False
        if not done:
            return JSONResponse({"code": 10002, "message": "验证失败，请重试", "data": None})
        return JSONResponse({"code": 0, "message": "", "data": {"ticket": self.state.slide_ticket()}})

    async def logout(self, request: Request) -> Response:
        self.state.logout(request.cookies.get(ERP_COOKIE, ""))
        response = RedirectResponse("/login", status_code=302)
        response.delete_cookie(ERP_COOKIE, path="/")
        return response

    async def home(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return _to_login(request)
        ad, session.ad_seen = not session.ad_seen, True
        return _html(erp_html.home(session.user, self.state.hook, ad=ad))

    async def frame(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return _to_login(request)
        menu = request.path_params["menu"]
        if menu not in erp_html.MENUS:
            return _html(erp_html.missing_menu(session.user))
        token, key = self.state.issue_token(session.sid)
        path, _, fragment = erp_html.MENUS[menu][1].partition("#")
        query = f"?{request.url.query}" if request.url.query else ""
        target = f"{path}{query}#{fragment}"
        biz = self.state.env.hosts["biz"]
        src = f"{biz}/service/sso/cookie/init?{urlencode({'token': token, 'key': key, 'redirect': target})}"
        ad = self.state.fault("list_modal") and not session.list_ad_seen  # `list_modal`: once per login
        session.list_ad_seen = session.list_ad_seen or ad
        return _html(erp_html.frame(session.user, menu, src, biz, ad=self.state.hook if ad else None))

    async def counts(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return JSONResponse(NOT_LOGIN)
        if self.state.hits("page_500", "home", 1):
            return error_page(500)
        if self.state.hits("timeout_page", "home", 1):
            return await hang_then_504(self.state)
        cached = self.counts_cache.get(session.sid)
        if cached is None or request.query_params.get("refresh") == "1":
            self.state.home_refreshes += int(cached is not None)
            cached = self._live_counts()
            self.counts_cache[session.sid] = cached
        return JSONResponse({"code": 0, "message": "", "data": cached})

    def _live_counts(self) -> dict[str, Any]:
        orders = self.state.data.orders
        wms = [o["wms"]["state"] for o in self.state.data.in_wms()]
        waiting = (vocab.WMS_POOL, vocab.WMS_ALLOCATED, vocab.WMS_WAVE, vocab.WMS_SINGLE)
        now = self.state.env.clock.now()
        return {
            "waitAudit": sum(1 for o in orders if o.get("status") == vocab.ERP_AUDIT),
            "waitPrint": sum(1 for s in wms if s in waiting),
            "waitPick": sum(1 for s in wms if s == vocab.WMS_TO_PICK),
            "exception": sum(1 for s in wms if s in vocab.WMS_EXCEPTIONS) + self.state.mismatch("home"),
            "updateTime": now.strftime("%Y-%m-%d %H:%M:%S"),
        }

    async def replica_state(self, request: Request) -> Response:
        return JSONResponse(self.state.describe())

    async def replica_expire(self, request: Request) -> Response:
        self.counts_cache.clear()
        return JSONResponse({"expired": self.state.expire_all()})


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _redirect_of(referer: str) -> str:
    """Where the login page was asked to go afterwards (its `redirect=`), else the home frame."""
    target = parse_qs(urlsplit(referer).query).get("redirect", [""])[0]
    return target if target.startswith("/frame/") else "/frame/home"
