"""The janus login APIs: password login with its slider / SMS / lock variants, QR login, logout."""

from __future__ import annotations

import base64
import binascii
import secrets
import zlib
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from replicas.pdd.envelope import (
    ACCOUNT_LOCKED,
    BAD_REQUEST,
    NEED_SMS,
    NEED_VERIFY,
    NOT_FOUND,
    SMS_WRONG,
    VERIFY_FAILED,
    VERIFY_TIMEOUT,
    WRONG_CREDENTIALS,
    Body,
    fail,
    ok,
    private_api,
    public_api,
)
from replicas.pdd.state import Challenge, PddState, Session
from replicas.pdd.vocab import SHOP_NAME

SMS_VALID_S = 300


def user_id(username: str) -> int:
    return 700_000_000 + zlib.crc32(username.encode()) % 100_000_000


def masked_mobile(username: str) -> str:
    return f"138****{zlib.crc32(username.encode()) % 10000:04d}"


def _password(body: Body) -> str:
    raw = body.get("password")
    if not isinstance(raw, str):
        return ""
    if not body.get("passwordEncrypt"):
        return raw
    try:  # the page "encrypts" with base64 of the UTF-8 bytes
        return base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""


def logged_in(state: PddState, request: Request, username: str, result: dict[str, Any]) -> JSONResponse:
    """A success envelope that carries the new session's cookies."""
    device = request.cookies.get("_nano_fp") or secrets.token_hex(12)
    session = state.new_session(username, device)
    response = ok({**result, "uid": user_id(username), "username": username})
    response.set_cookie("PASS_ID", session.token, path="/", httponly=True, samesite="lax")
    response.set_cookie("api_uid", request.cookies.get("api_uid") or secrets.token_urlsafe(18), path="/")
    response.set_cookie("_nano_fp", device, path="/")
    response.set_cookie("JSESSIONID", secrets.token_hex(16).upper(), path="/", httponly=True)
    return response


def _challenge(state: PddState, body: Body, username: str) -> Response | None:
    """challenge_on_login: a slider puzzle unless the body carries a fresh verificationCode."""
    if not state.fault("challenge_on_login"):
        return None
    code = body.get("verificationCode")
    if isinstance(code, str) and state.login.passed.pop(code, None) == username:
        return None
    timeout = float(state.arg("challenge_on_login", "timeout_s", 120))
    challenge = Challenge(secrets.token_hex(8), username, state.now(), timeout)
    state.login.challenges[challenge.id] = challenge
    return fail(NEED_VERIFY, result={
        "needVerify": True, "verifyType": "slider", "challengeId": challenge.id, "timeoutS": timeout,
    })


def _sms_step(state: PddState, body: Body, username: str) -> Response | None:
    """A new device (scenario known_device = false) must give the code sent by SMS."""
    steps = state.login
    if state.env.scenario.known_device:
        return None
    code = str(body.get("mobileVerifyCode") or "").strip()
    if not code:
        steps.sms_pending.add(username)
        return fail(NEED_SMS, result={"needSmsVerify": True, "mobile": masked_mobile(username)})
    sent = steps.sms_codes.get(username)
    if sent is None or sent[0] != code or state.now() - sent[1] > SMS_VALID_S:
        return fail(SMS_WRONG)
    del steps.sms_codes[username]
    steps.sms_pending.discard(username)
    return None


def routes(state: PddState) -> list[Route]:
    return [*_login_routes(state), *_account_routes(state)]


def _login_routes(state: PddState) -> list[Route]:
    steps = state.login

    async def auth(request: Request, body: Body) -> Response:
        username = str(body.get("username") or "").strip()
        password = _password(body)
        refusal: Response | None
        if not username or not password:
            refusal = fail(BAD_REQUEST, "请输入账号和密码")
        else:
            refusal = _challenge(state, body, username)
        if refusal is None and state.accounts.get(username) != password:
            refusal = fail(WRONG_CREDENTIALS)
        if refusal is None and state.fault("account_locked"):
            refusal = fail(ACCOUNT_LOCKED, result={"riskType": "ACCOUNT_STOLEN", "buttons": ["修改密码", "我知道了"]})
        if refusal is None:
            refusal = _sms_step(state, body, username)
        if refusal is not None:
            return refusal
        return logged_in(state, request, username, {"loginType": "password"})

    async def captcha_verify(request: Request, body: Body) -> Response:
        challenge = steps.challenges.get(str(body.get("challengeId") or ""))
        if challenge is None:
            return fail(VERIFY_TIMEOUT)
        if state.now() - challenge.issued_at > challenge.timeout_s:
            del steps.challenges[challenge.id]
            return fail(VERIFY_TIMEOUT)
        track = body.get("track")
        distance, width = body.get("distance"), body.get("trackWidth")
        if not (isinstance(track, list) and len(track) >= 3 and isinstance(distance, int | float)
                and isinstance(width, int | float) and width > 0 and distance >= 0.8 * width):
            return fail(VERIFY_FAILED)
        del steps.challenges[challenge.id]
        token = secrets.token_urlsafe(16)
        steps.passed[token] = challenge.username
        return ok({"verificationCode": token})

    async def sms_code(request: Request, body: Body) -> Response:
        username = str(body.get("username") or "").strip()
        if username not in steps.sms_pending:
            return fail(BAD_REQUEST, "请先输入正确的账号和密码")
        code = f"{state.codes.randrange(10**6):06d}"
        steps.sms_codes[username] = (code, state.now())
        steps.outbox.append({"username": username, "code": code, "at": int(state.now())})
        return ok({"mobile": masked_mobile(username), "expireSeconds": SMS_VALID_S})

    async def qr_gen(request: Request, body: Body) -> Response:
        token = secrets.token_hex(8)
        steps.qr[token] = 0
        return ok({"qrToken": token, "expireSeconds": 180})

    async def qr_query(request: Request, body: Body) -> Response:
        token = str(body.get("qrToken") or "")
        status = steps.qr.get(token)
        if status is None or status == 3:
            return fail(NOT_FOUND, "二维码已失效，请刷新")
        if status == 2:
            steps.qr[token] = 3
            return logged_in(state, request, state.qr_user, {"status": 2, "statusDesc": "登录成功"})
        return ok({"status": status, "statusDesc": "扫码成功" if status == 1 else "等待扫码"})

    post = ["POST"]
    return [
        Route("/janus/api/auth", public_api(state, auth), methods=post),
        Route("/janus/api/captcha/verify", public_api(state, captcha_verify), methods=post),
        Route("/janus/api/user/getLoginVerificationCode", public_api(state, sms_code), methods=post),
        Route("/janus/api/qrcode/gen", public_api(state, qr_gen), methods=post),
        Route("/janus/api/qrcode/query", public_api(state, qr_query), methods=post),
    ]


def _account_routes(state: PddState) -> list[Route]:
    async def check_login(request: Request, body: Body) -> Response:
        return ok({"login": state.session_for(request, api=False) is not None})

    async def userinfo(request: Request, body: Body, session: Session) -> Response:
        return ok({
            "id": user_id(session.username), "username": session.username, "nickname": session.username,
            "mall_id": 500_000_000 + user_id(session.username) % 1_000_000, "mall_name": SHOP_NAME,
            "mobile": masked_mobile(session.username),
        })

    async def logout(request: Request, body: Body) -> Response:
        state.sessions.pop(request.cookies.get("PASS_ID", ""), None)
        response = ok(None)
        response.delete_cookie("PASS_ID", path="/")
        return response

    async def inform_tabs(request: Request, body: Body, session: Session) -> Response:
        return ok({"tabList": [
            {"tabId": 1, "tabName": "重要通知", "unreadCount": 1},
            {"tabId": 2, "tabName": "规则更新", "unreadCount": 0},
        ]})

    post = ["POST"]
    return [
        Route("/janus/api/checkLogin", public_api(state, check_login), methods=post),
        Route("/janus/api/new/userinfo", private_api(state, userinfo), methods=post),
        Route("/janus/api/logout", public_api(state, logout), methods=post),
        Route("/janus/api/informSeller/queryInformSellerTabList", private_api(state, inform_tabs), methods=post),
    ]
