"""Replica-only routes under /__replica__/ (tests and the demo use them; flows never do)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from replicas.pdd.envelope import read_body
from replicas.pdd.state import PddState


def routes(state: PddState) -> list[Route]:
    qr = state.login.qr

    def pick_qr(wanted: str, statuses: tuple[int, ...]) -> str | None:
        if wanted:
            return wanted if qr.get(wanted) in statuses else None
        return next((t for t in reversed(list(qr)) if qr[t] in statuses), None)

    async def sms(request: Request) -> Response:
        return JSONResponse(state.login.outbox)

    async def qr_scan(request: Request) -> Response:
        token = pick_qr(str((await read_body(request)).get("qrToken") or ""), (0,))
        if token is None:
            return JSONResponse({"ok": False, "error": "no QR code waiting for a scan"}, status_code=409)
        qr[token] = 1
        return JSONResponse({"ok": True, "qrToken": token})

    async def qr_confirm(request: Request) -> Response:
        token = pick_qr(str((await read_body(request)).get("qrToken") or ""), (1, 0))
        if token is None:
            return JSONResponse({"ok": False, "error": "no QR code to confirm"}, status_code=409)
        qr[token] = 2
        return JSONResponse({"ok": True, "qrToken": token})

    async def expire(request: Request) -> Response:
        return JSONResponse({"ok": True, "expired": state.expire_all()})

    async def summary(request: Request) -> Response:
        return JSONResponse(state.summary())

    return [
        Route("/__replica__/sms", sms),
        Route("/__replica__/qr/scan", qr_scan, methods=["POST"]),
        Route("/__replica__/qr/confirm", qr_confirm, methods=["POST"]),
        Route("/__replica__/expire", expire, methods=["POST"]),
        Route("/__replica__/state", summary),
    ]
