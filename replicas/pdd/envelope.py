"""The mms JSON envelope `{success, errorCode, errorMsg, result}` and the guards every API shares.

Every JSON API is POST with a JSON body and refuses a request without a non-empty `Anti-Content`
header (the real site's JS-generated anti-bot token), like the real site does to scrapers that
call it outside the page. Logged-in APIs answer 43001 when the session is missing or expired.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from replicas.pdd.state import PddState, Session

OK = 1000000
BAD_REQUEST = 40001
SESSION_EXPIRED = 43001
ANTI_CONTENT_MISSING = 54001
WRONG_CREDENTIALS = 54002
ACCOUNT_LOCKED = 54003
NEED_VERIFY = 54004
VERIFY_FAILED = 54005
VERIFY_TIMEOUT = 54006
NEED_SMS = 54007
SMS_WRONG = 54008
NOT_FOUND = 40004

MESSAGES = {
    ANTI_CONTENT_MISSING: "请求异常，请刷新后重试",
    SESSION_EXPIRED: "会话已过期，请重新登录",
    WRONG_CREDENTIALS: "账号或密码错误",
    ACCOUNT_LOCKED: "系统检测到您的账号异常，存在盗号风险",
    NEED_VERIFY: "请完成安全验证",
    VERIFY_FAILED: "拼图未对齐，请重试",
    VERIFY_TIMEOUT: "验证时间过长，请重试",
    NEED_SMS: "新设备登录，请完成短信验证",
    SMS_WRONG: "短信校验码错误，请重新输入",
    BAD_REQUEST: "参数错误",
    NOT_FOUND: "记录不存在",
}

Body = dict[str, Any]
Endpoint = Callable[[Request], Awaitable[Response]]
PublicHandler = Callable[[Request, Body], Awaitable[Response]]
PrivateHandler = Callable[[Request, Body, Session], Awaitable[Response]]


def ok(result: Any = None) -> JSONResponse:
    return JSONResponse({"success": True, "errorCode": OK, "errorMsg": "", "result": result})


def fail(code: int, msg: str | None = None, result: Any = None) -> JSONResponse:
    message = msg if msg is not None else MESSAGES.get(code, "系统繁忙，请稍后重试")
    return JSONResponse({"success": False, "errorCode": code, "errorMsg": message, "result": result})


async def read_body(request: Request) -> Body:
    raw = await request.body()
    try:
        data = json.loads(raw) if raw else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def int_field(body: Body, name: str, default: int) -> int:
    """An integer request field; anything unusable becomes the default."""
    value = body.get(name, default)
    if isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def public_api(state: PddState, handler: PublicHandler) -> Endpoint:
    """A JSON API open without login (but not without Anti-Content)."""

    async def endpoint(request: Request) -> Response:
        path = request.url.path
        state.api_calls[path] = state.api_calls.get(path, 0) + 1
        if not request.headers.get("anti-content", "").strip():
            return fail(ANTI_CONTENT_MISSING)
        return await handler(request, await read_body(request))

    return endpoint


def private_api(state: PddState, handler: PrivateHandler) -> Endpoint:
    """A JSON API that needs a valid session; each call counts towards `session_expired`."""

    async def guarded(request: Request, body: Body) -> Response:
        session = state.session_for(request, api=True)
        if session is None:
            return fail(SESSION_EXPIRED)
        return await handler(request, body, session)

    return public_api(state, guarded)
