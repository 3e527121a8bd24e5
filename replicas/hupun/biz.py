"""The biz host (real: old-erp.hupun.com): the SSO hop, two business pages and their JSON APIs.

    GET  /service/sso/cookie/init?token=…&key=…&redirect=/calf-biz/…   sets CALFSESSIONID, 302
    GET  /calf-biz/trade/remark.html[?tradeNo=]#/remark    订单备注 (orders, remarks, items)
    GET  /calf-biz/wms/order.html#/allocation              B2C出库·订单分配 + 系统任务 panel
    POST /calf-biz/api/trade/remark/list   {page, limit, platform, tradeType, remark, timeRange, tid, tradeNo}
    POST /calf-biz/api/wms/order/list      {page, limit, state, platform, exception}
    GET  /calf-biz/api/task/list
[I] API paths and shapes are invented; the envelope {code, message, data: {list, total, page, limit}}
follows Hupun's open API (code 0 = OK). Without a live session the APIs answer HTTP 200 with
code 10001 "登录已失效，请重新登录" and the pages tell the shell (postMessage) to log in again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.common.clock import SHANGHAI
from replicas.common.faults import restyle_fields
from replicas.common.query_memo import QueryMemo
from replicas.hupun import biz_html, vocab
from replicas.hupun.errors import error_page, hang_then_504
from replicas.hupun.state import BIZ_COOKIE, SiteState

NOT_LOGIN = {"code": 10001, "message": "登录已失效，请重新登录", "data": None}
TASK_POLL_MS = 1000
_DAYS = {"近7天": 7, "近30天": 30, "近90天": 90}
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _html(body: str) -> HTMLResponse:
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


class BizApp:
    def __init__(self, state: SiteState) -> None:
        self.state = state
        self.memo = QueryMemo()

    def _query_key(self, body: dict[str, Any], *extra: Any) -> tuple[Any, ...]:
        """What a query's matches depend on: its filters (not its page) and the data's version."""
        data, wave = self.state.data, self.state.tasks.wave
        filters = json.dumps({k: v for k, v in body.items() if k not in ("page", "limit")}, sort_keys=True,
                             default=str)
        return (filters, id(data), len(data.orders), wave is not None and wave.applied, *extra)

    def build(self) -> Starlette:
        return Starlette(routes=[
            Route("/service/sso/cookie/init", self.sso),
            Route("/calf-biz/trade/remark.html", self.remark_page),
            Route("/calf-biz/wms/order.html", self.wms_page),
            Route(biz_html.REMARK_API, self.remarks, methods=["POST"]),
            Route(biz_html.WMS_API, self.wms_orders, methods=["POST"]),
            Route(biz_html.TASK_API, self.task_list),
            Route("/__replica__/state", lambda r: JSONResponse(self.state.describe())),
        ])

    def _live(self, request: Request, *, count: bool) -> bool:
        return self.state.biz_session(request.cookies.get(BIZ_COOKIE, ""), count=count) is not None

    async def sso(self, request: Request) -> Response:
        q = request.query_params
        session = self.state.redeem(q.get("token", ""), q.get("key", ""))
        target = q.get("redirect", "")
        if session is None or not target.startswith("/calf-biz/"):
            return _html(biz_html.not_logged_in())
        response = RedirectResponse(target, status_code=302)
        response.set_cookie(BIZ_COOKIE, session.sid, path="/", httponly=True, samesite="lax")
        return response

    def _platforms(self) -> list[str]:
        return sorted({str(o.get("platform", "")) for o in self.state.data.orders} - {""})

    async def remark_page(self, request: Request) -> Response:
        if not self._live(request, count=False):
            return _html(biz_html.not_logged_in())
        trade_no = request.query_params.get("tradeNo", "")
        initial = {"tradeNo": trade_no} if trade_no else {}
        return _html(biz_html.remark_page(self.state.hook, self._platforms(), initial))

    async def wms_page(self, request: Request) -> Response:
        if not self._live(request, count=False):
            return _html(biz_html.not_logged_in())
        self.state.tasks.start_wave(self.state.data.orders, self.state.env.clock.now())
        return _html(biz_html.wms_page(self.state.hook, self._platforms(), TASK_POLL_MS))

    async def remarks(self, request: Request) -> Response:
        body = await _body(request)
        # To the minute: the range is a date filter, and one query pages against one range.
        now = self.state.env.clock.now().replace(second=0, microsecond=0)
        since = now - timedelta(days=_DAYS.get(str(body.get("timeRange")), 7))
        rows = self.memo.rows("remarks", self._query_key(body, since), lambda: [
            o for o in self.state.data.orders if self._remark_match(o, body, since)
        ])
        if self.state.fault("list_shift") and self.state.arg("list_shift", "list", "remarks") == "remarks":
            page = max(1, _int(body.get("page"), 1))
            self.state.shift.before_page(page, rows, self.state.data.orders, _fresh_order)
        return await self._page(request, "remarks", body, rows, _remark_row)

    def _remark_match(self, order: dict[str, Any], q: dict[str, Any], since: datetime) -> bool:
        created = _time(order.get("created"))
        memo = str(order.get("sellerMemo") or "").strip()
        wanted_tids = [t.strip() for t in str(q.get("tid") or "").replace("，", ",").split(",") if t.strip()]
        return (
            _is(order.get("platform"), q.get("platform")) and _is(order.get("tradeType"), q.get("tradeType"))
            and (q.get("remark") in (None, "", "全部备注") or (q.get("remark") == "有内容") == bool(memo))
            and (created is None or created >= since)
            and (not wanted_tids or any(t in str(order.get("tid")) for t in wanted_tids))
            and (not q.get("tradeNo") or order.get("tradeNo") == q.get("tradeNo"))
        )

    async def wms_orders(self, request: Request) -> Response:
        body = await _body(request)
        running = self.state.tasks.running_task_no()
        exception = str(body.get("exception") or "全部")
        rows = self.memo.rows("wms", self._query_key(body), lambda: [
            o for o in self.state.data.in_wms()
            if _is(o["wms"].get("state"), body.get("state")) and _is(o.get("platform"), body.get("platform"))
            and (exception == "全部" or (o["wms"].get("state") in vocab.WMS_EXCEPTIONS) == (exception == "包含异常"))
        ])
        return await self._page(request, "wms", body, rows, lambda o: _wms_row(o, running))

    async def task_list(self, request: Request) -> Response:
        self.state.tasks_polled += 1
        if not self._live(request, count=True):
            return JSONResponse(NOT_LOGIN)
        return JSONResponse({"code": 0, "message": "", "data": {"list": self.state.task_rows()}})

    async def _page(
        self, request: Request, name: str, body: dict[str, Any], rows: list[dict[str, Any]],
        shape: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Response:
        """One page of `rows` (orders); only that page's orders are shaped into the list's rows."""
        if not self._live(request, count=True):
            return JSONResponse(NOT_LOGIN)
        page, limit = max(1, _int(body.get("page"), 1)), _int(body.get("limit"), biz_html.DEFAULT_SIZE)
        if str(limit) not in biz_html.PAGE_SIZES:
            return JSONResponse({"code": 40001, "message": f"不支持的每页条数：{limit}", "data": None})
        if self.state.hits("page_500", name, page):
            return error_page(500)
        if self.state.hits("timeout_page", name, page):
            return await hang_then_504(self.state)
        chunk = [shape(o) for o in rows[(page - 1) * limit: page * limit]]
        if self.state.fault("date_format"):
            chunk = [restyle_fields(r, ("created", "payTime", "pushTime")) for r in chunk]
        total = len(rows) + self.state.mismatch(name)
        return JSONResponse({"code": 0, "message": "", "data": {"list": chunk, "total": total, "page": page,
                                                                 "limit": limit}})


def _fresh_order(top: dict[str, Any]) -> dict[str, Any]:
    """An order that reached the ERP just now, like the list's top one (`list_shift`)."""
    return {**top, "uid": f"{top.get('uid', '')}9", "tradeNo": f"{top.get('tradeNo', '')}9",
            "tid": f"{top.get('tid', '')}9"}


def _remark_row(order: dict[str, Any]) -> dict[str, Any]:
    keys = ("uid", "tradeNo", "tid", "shopNick", "platform", "buyerMessage", "sellerMemo", "tradeType", "payType",
            "express", "status", "created", "payTime", "payment", "receiverName", "receiverMobile", "receiverAddress")
    row = {k: order.get(k, "") for k in keys}
    items = order.get("items")
    row["items"] = [
        {"itemName": i.get("itemName", ""), "skuName": i.get("skuName", ""), "size": i.get("size", ""),
         "category": i.get("category", ""), "tcmFlag": int(i.get("category") in vocab.TCM_CATEGORIES)}
        for i in items if isinstance(i, dict)
    ] if isinstance(items, list) else items
    return row


def _wms_row(order: dict[str, Any], running_task: str) -> dict[str, Any]:
    wms = order["wms"]
    raw = order.get("items")
    items = raw if isinstance(raw, list) else []
    return {
        "uid": order.get("uid", ""), "tradeNo": order.get("tradeNo", ""), "tid": order.get("tid", ""),
        "shopName": order.get("shopNick", ""), "platformName": order.get("platform", ""),
        "status": wms.get("state", ""), "exceptionReason": wms.get("reason", ""), "waveNo": wms.get("waveNo", ""),
        "taskNo": running_task if wms.get("job") and wms.get("state") == vocab.WMS_POOL else "",
        "express": order.get("express", ""), "created": order.get("created", ""), "pushTime": wms.get("pushTime", ""),
        "goods": [{"name": i.get("itemName", ""), "spec": i.get("skuName", ""), "qty": i.get("size", "")}
                  for i in items if isinstance(i, dict)],
    }


def _is(value: Any, wanted: Any) -> bool:
    return wanted in (None, "", "全部") or str(value) == str(wanted)


def _time(raw: Any) -> datetime | None:
    return _parse_time(str(raw))


@lru_cache(maxsize=1 << 16)
def _parse_time(text: str) -> datetime | None:
    """Parsed once per distinct text: every list request filters every order by its time."""
    try:
        return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


def _int(raw: Any, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
