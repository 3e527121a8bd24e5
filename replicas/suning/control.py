"""Replica-only routes under /__replica__/ (never used by flows): state, forced expiry, faults, SMS."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from replicas.suning.state import SuningState


def control_routes(state: SuningState, *, sms: bool = False) -> list[Route]:
    async def show_state(request: Request) -> JSONResponse:
        return JSONResponse(state.summary())

    async def expire(request: Request) -> JSONResponse:
        return JSONResponse({"expired": state.expire_all()})

    async def faults(request: Request) -> JSONResponse:
        """JSON {"faults": [...], "fault_args": {...}}: switch faults while the replica runs."""
        body = await request.json()
        state.set_faults([str(f) for f in body.get("faults", [])], dict(body.get("fault_args", {})))
        return JSONResponse({"faults": sorted(state.faults)})

    async def outbox(request: Request) -> JSONResponse:
        return JSONResponse({"messages": state.passport.outbox})

    routes = [
        Route("/__replica__/state", show_state),
        Route("/__replica__/expire", expire, methods=["POST"]),
        Route("/__replica__/faults", faults, methods=["POST"]),
    ]
    if sms:
        routes.append(Route("/__replica__/sms", outbox))
    return routes


async def form_of(request: Request) -> dict[str, str]:
    """An url-encoded body (forms and fetch(URLSearchParams)), without python-multipart."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))
