"""mpassport (the unified login) and masc (the SMS step on an unknown device).

Login is an AJAX POST answering JSON; success redirects to masc when the device is not trusted,
else straight back to `service` with a one-time `ticket` that moms exchanges for its session.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.suning.control import control_routes, form_of
from replicas.suning.login_html import login_page, message_page, sms_page
from replicas.suning.state import DEVICE, Pending, SuningState

BAD_PASSWORD = "用户名或密码错误，请重新输入"
LOCKED = "您的账户已被锁定，请联系苏宁商家客服"
NEED_SLIDER = "请按住滑块，拖动到最右边完成验证"
MIN_SLIDER_MOVES = 5


def login_url(state: SuningState, service: str) -> str:
    base = state.env.hosts["mpassport"]
    return f"{base}/ids/login?service={quote(service, safe='')}&loginTheme=scs"


def _service_ok(state: SuningState, service: str) -> bool:
    return service.startswith(state.env.hosts["moms"] + "/")


def with_ticket(service: str, ticket: str) -> str:
    return f"{service}{'&' if '?' in service else '?'}ticket={ticket}"


def build_mpassport(state: SuningState) -> Starlette:
    async def page(request: Request) -> Response:
        service = request.query_params.get("service") or f"{state.env.hosts['moms']}/moms/index.action"
        if not _service_ok(state, service):
            return HTMLResponse(message_page("登录", "非法的服务地址", "service 参数不被允许"), 400)
        html = login_page(
            service=service,
            theme=request.query_params.get("loginTheme", "scs"),
            last_user=request.cookies.get("idsLoginUserIdLastTime", ""),
            slider=state.fault("challenge_on_login"),
            button_id=state.hook("login_button"),
        )
        response = HTMLResponse(html)
        if DEVICE not in request.cookies:
            response.set_cookie(DEVICE, secrets.token_hex(16), max_age=365 * 86400, path="/")
        return response

    async def submit(request: Request) -> JSONResponse:
        form = await form_of(request)
        username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
        service = str(form.get("service", ""))
        if not _service_ok(state, service):
            return _fail("invalidService", "非法的服务地址")
        passport = state.passport
        if state.slider_required(username) and str(form.get("sillerToken", "")) not in passport.slider_tokens:
            return _fail("needVerifyCode", NEED_SLIDER, slider=True)
        passport.slider_tokens.discard(str(form.get("sillerToken", "")))
        if passport.accounts.get(username) != password:
            passport.failures[username] = passport.failures.get(username, 0) + 1
            return _fail("badPassword.msg1", BAD_PASSWORD, slider=True)
        if state.locked(username):
            return _fail("lockedUser", LOCKED)
        passport.failures.pop(username, None)
        device = request.cookies.get(DEVICE, "")
        if state.env.scenario.known_device or device in passport.trusted:
            target = with_ticket(service, passport.issue_ticket(username, service))
        else:
            pk = secrets.token_hex(12)
            passport.pending[pk] = Pending(pk, username, service, device, state.phone_of(username))
            target = f"{state.env.hosts['masc']}/masc/login/phoneValidate.htm?pk={pk}"
        response = JSONResponse({"success": True, "redirectUrl": target})
        response.set_cookie("idsLoginUserIdLastTime", quote(username), max_age=30 * 86400, path="/")
        return response

    async def slider(request: Request) -> JSONResponse:
        form = await form_of(request)
        try:
            moves = int(str(form.get("moves", "0")))
        except ValueError:
            moves = 0
        if moves < MIN_SLIDER_MOVES:
            return JSONResponse({"success": False})
        token = secrets.token_hex(10)
        state.passport.slider_tokens.add(token)
        return JSONResponse({"success": True, "token": token})

    return Starlette(routes=[
        Route("/ids/login", page, methods=["GET"]),
        Route("/ids/login", submit, methods=["POST"]),
        Route("/ids/slider/verify", slider, methods=["POST"]),
        *control_routes(state),
    ])


def _fail(code: str, message: str, *, slider: bool = False) -> JSONResponse:
    return JSONResponse(
        {"success": False, "errorCode": code, "res_message": message, "needVerifyCode": slider}
    )


def build_masc(state: SuningState) -> Starlette:
    passport = state.passport

    async def page(request: Request) -> Response:
        pending = passport.pending.get(request.query_params.get("pk", ""))
        if pending is None:
            return HTMLResponse(message_page("安全验证", "验证已过期，请重新登录"), 200)
        return HTMLResponse(sms_page(pk=pending.key, phone=pending.phone))

    async def send(request: Request) -> JSONResponse:
        form = await form_of(request)
        pending = passport.pending.get(str(form.get("pk", "")))
        if pending is None:
            return JSONResponse({"success": False, "msg": "验证已过期，请重新登录"})
        pending.code = state.sms_code()
        passport.outbox.append({
            "phone": pending.phone, "username": pending.username, "code": pending.code,
            "text": f"【苏宁易购】您的验证码为{pending.code}，5分钟内有效，请勿泄露。",
        })
        return JSONResponse({"success": True})

    async def validate(request: Request) -> JSONResponse:
        form = await form_of(request)
        pending = passport.pending.get(str(form.get("pk", "")))
        if pending is None:
            return JSONResponse({"success": False, "msg": "验证已过期，请重新登录"})
        if not pending.code or str(form.get("code", "")).strip() != pending.code:
            return JSONResponse({"success": False, "msg": "短信验证码错误"})
        del passport.pending[pending.key]
        if pending.device:
            passport.trusted.add(pending.device)
        ticket = passport.issue_ticket(pending.username, pending.service)
        return JSONResponse({"success": True, "redirectUrl": with_ticket(pending.service, ticket)})

    async def root(request: Request) -> Response:
        return RedirectResponse(f"{state.env.hosts['mpassport']}/ids/login", 302)

    return Starlette(routes=[
        Route("/", root),
        Route("/masc/login/phoneValidate.htm", page),
        Route("/masc/login/sendCode", send, methods=["POST"]),
        Route("/masc/login/validate", validate, methods=["POST"]),
        *control_routes(state, sms=True),
    ])
