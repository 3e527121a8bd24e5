"""The `/m.api` gateway: signed form posts in, `{stat, content}` envelopes out.

A request names one or more methods (`_mt=a.b` or `_mt=a.b,c.d`; with several, each method's
own parameters carry an index prefix: `0_pageNo`). `_sig` is the MD5 of the sorted `k=v` pairs
plus the web app's key, so a client that skips the page's JS is refused (`stat.code` -180), like
on the real site. An invalid or expired `_wtk` gives `stat.code` -360 with HTTP 200.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from replicas.common.faults import restyle_fields
from replicas.pingan.data import Record
from replicas.pingan.state import APP_ID, APP_SECRET, SOON, TOKEN_INVALID, Session, State, md5_hex

Params = Mapping[str, str]
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
BAD_SIGNATURE = -180
UNKNOWN_METHOD = -120
SYSTEM_BUSY = -100


class BusinessError(Exception):
    """A method-level failure reported in `stat.stateList[i]`."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


async def form_params(request: Request) -> dict[str, str]:
    """An urlencoded body (no multipart parser needed: the console never uploads here)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def signature(params: Params) -> str:
    base = "".join(f"{k}={params[k]}" for k in sorted(params) if k != "_sig")
    return md5_hex(base + APP_SECRET)


def envelope(state: State, code: int, msg: str = "", content: list[Any] | None = None,
             states: list[dict[str, Any]] | None = None) -> JSONResponse:
    stat = {
        "cid": secrets.token_hex(6), "code": code, "msg": msg,
        "stateList": states or [], "systime": state.env.clock.timestamp() * 1000,
    }
    return JSONResponse({"stat": stat, "content": content or []})


def _page(params: Params) -> tuple[int, int]:
    try:
        page_no = max(1, int(params.get("pageNo", "1")))
        size = int(params.get("pageSize", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise BusinessError(400, "分页参数错误") from None
    return page_no, min(max(1, size), MAX_PAGE_SIZE)


TIME_FIELDS = ("applyTime", "createTime", "handleDeadline", "payTime", "promiseDeliveryTime", "submitTime")
LIST_NOTICE = {"noticeId": "N20261126", "title": "平台公告",
               "content": "双十二大促期间请合理安排发货，承诺发货时间以订单详情为准。"}


def _paged(state: State, list_name: str, status: str, params: Params) -> dict[str, Any]:
    page_no, size = _page(params)
    rows = state.records(list_name, status)
    if state.page_fault("list_shift", list_name, status, 1):  # `list_shift` names its list; any page
        state.shift.before_page(page_no, rows, state.data[list_name], lambda top: _fresh(state, top))
    chunk = rows[(page_no - 1) * size: page_no * size]
    if state.page_fault("drop_rows", list_name, status, page_no):
        chunk = chunk[: max(0, len(chunk) - int(state.arg("drop_rows", "n", 1)))]
    if state.fault("date_format"):
        chunk = [restyle_fields(r, TIME_FIELDS) for r in chunk]
    page: dict[str, Any] = {"total": len(rows), "pageNo": page_no, "pageSize": size, "list": chunk}
    if state.fault("list_modal") and not state.list_notice_sent:
        state.list_notice_sent = True  # the console shows it over the list, like the home notice
        page["notice"] = LIST_NOTICE
    return page


def _fresh(state: State, top: Record) -> Record:
    """A record that arrived just now, in the same list and status as the list's top row."""
    now_ms = state.env.clock.timestamp() * 1000
    key = next(k for k in ("refundId", "rxId", "complaintId", "orderId") if k in top)
    return {**top, key: f"{top[key]}1", "createTime": now_ms}


def _user(state: State, session: Session, params: Params) -> dict[str, Any]:
    return {
        "userId": 10000 + sum(map(ord, session.account)), "loginName": session.account,
        "nick": f"{session.account}(店长)", "sellerId": 880012, "sellerName": "康宁大药房(合成数据)",
        "storeName": "康宁大药房旗舰店", "roles": ["STORE_ADMIN"],
    }


def _counts(state: State, session: Session, params: Params) -> dict[str, Any]:
    now_ms = state.env.clock.timestamp() * 1000
    soon_ms = now_ms + int(SOON.total_seconds() * 1000)
    ship = state.records("orders", 20)
    deadlines = [r["promiseDeliveryTime"] for r in ship if isinstance(r.get("promiseDeliveryTime"), int)]
    counts = {
        "waitAcceptCount": len(state.records("orders", 10)),
        "waitDeliverCount": len(ship),
        "soonTimeoutCount": sum(1 for d in deadlines if now_ms < d <= soon_ms),
        "timeoutCount": sum(1 for d in deadlines if d <= now_ms),
        "refundWaitCount": len(state.records("refunds", 10)),
        "rxWaitAuditCount": len(state.records("prescriptions", 0)),
        "complaintWaitCount": len(state.records("complaints", 0)),
    }
    if state.fault("stale_counters"):
        key = COUNTER_OF[str(state.arg("stale_counters", "list", "orders_ship"))]
        counts[key] += int(state.arg("stale_counters", "delta", 1))
    notice = {"noticeId": "N20261101", "title": "平台公告",
              "content": "处方药订单须在药师审方通过后发货；超时未发货将按平台规则扣分。"}
    return {**counts, "notice": notice}


COUNTER_OF = {"orders_accept": "waitAcceptCount", "orders_ship": "waitDeliverCount", "orders": "waitDeliverCount",
              "refunds": "refundWaitCount", "prescriptions": "rxWaitAuditCount",
              "complaints": "complaintWaitCount"}


def _lister(list_name: str, status_param: str, default: str) -> Callable[[State, Session, Params], Any]:
    def handler(state: State, session: Session, params: Params) -> Any:
        return _paged(state, list_name, params.get(status_param, default), params)
    return handler


def _detailer(list_name: str, id_param: str) -> Callable[[State, Session, Params], Any]:
    def handler(state: State, session: Session, params: Params) -> Record:
        record = state.find(list_name, params.get(id_param, ""))
        if record is None:
            raise BusinessError(404, "记录不存在")
        return record
    return handler


METHODS: dict[str, Callable[[State, Session, Params], Any]] = {
    "kylin.getUserAndSellerInfo": _user,
    "seller.dashboard.count": _counts,
    "seller.order.list": _lister("orders", "status", "20"),
    "seller.refund.list": _lister("refunds", "status", "10"),
    "seller.rx.list": _lister("prescriptions", "auditStatus", "0"),
    "seller.complaint.list": _lister("complaints", "status", "0"),
    "seller.order.detail": _detailer("orders", "orderId"),
    "seller.refund.detail": _detailer("refunds", "refundId"),
    "seller.rx.detail": _detailer("prescriptions", "rxId"),
    "seller.complaint.detail": _detailer("complaints", "complaintId"),
}
LIST_OF = {"seller.order.list": ("orders", "status", "20"), "seller.refund.list": ("refunds", "status", "10"),
           "seller.rx.list": ("prescriptions", "auditStatus", "0"),
           "seller.complaint.list": ("complaints", "status", "0")}


def _captcha(state: State, params: Params) -> dict[str, str]:
    key = state.new_captcha()
    return {"key": key, "imgUrl": f"/captcha/image?key={key}"}


def _method_params(params: Params, index: int, several: bool) -> dict[str, str]:
    if not several:
        return dict(params)
    prefix = f"{index}_"
    return {k.removeprefix(prefix): v for k, v in params.items() if k.startswith(prefix) or k.startswith("_")}


async def _page_faults(state: State, methods: list[str], params: Params) -> Response | None:
    """Faults tied to one page of one list: HTTP 500, a gateway time-out, a busy gateway."""
    for method in methods:
        if method not in LIST_OF:
            continue
        list_name, status_param, default = LIST_OF[method]
        status = params.get(status_param, default)
        try:
            page_no = int(params.get("pageNo", "1"))
        except ValueError:
            continue
        if state.page_fault("page_500", list_name, status, page_no):
            return HTMLResponse(ERROR_500, status_code=500)
        if state.page_fault("timeout_page", list_name, status, page_no):
            await asyncio.sleep(int(state.arg("timeout_page", "ms", 60_000)) / 1000)
            return HTMLResponse(ERROR_504, status_code=504)
        if state.page_fault("gateway_error", list_name, status, page_no):
            return envelope(state, SYSTEM_BUSY, "系统繁忙，请稍后再试")
    return None


async def gateway(request: Request) -> Response:
    state: State = request.app.state.pingan
    params = await form_params(request)
    mt = request.query_params.get("_mt") or params.get("_mt", "")
    methods = [m for m in mt.split(",") if m]
    for method in methods:
        state.calls[method] += 1
    if params.get("_aid") != APP_ID or params.get("_sig") != signature(params):
        return envelope(state, BAD_SIGNATURE, "签名错误")
    faulted = await _page_faults(state, methods, params)
    if faulted is not None:
        return faulted
    contents: list[Any] = []
    states: list[dict[str, Any]] = []
    session: Session | None = None
    for index, method in enumerate(methods):
        own = _method_params(params, index, len(methods) > 1)
        if method == "kylin.requestCaptcha":
            contents.append(_captcha(state, own))
            states.append({"code": 0, "msg": "success"})
            continue
        handler = METHODS.get(method)
        if handler is None:
            return envelope(state, UNKNOWN_METHOD, f"接口不存在: {method}")
        session = session or state.session_for(params.get("_wtk", ""))
        if session is None:
            return envelope(state, TOKEN_INVALID, "登录状态已失效，请重新登录")
        try:
            contents.append(handler(state, session, own))
            states.append({"code": 0, "msg": "success"})
        except BusinessError as exc:
            contents.append(None)
            states.append({"code": exc.code, "msg": exc.msg})
    return envelope(state, 0, "success", contents, states)


ERROR_500 = ("<html><head><title>500 Internal Server Error</title></head><body>"
             "<center><h1>500 Internal Server Error</h1></center><hr><center>Tengine</center></body></html>")
ERROR_504 = ("<html><head><title>504 Gateway Time-out</title></head><body>"
             "<center><h1>504 Gateway Time-out</h1></center><hr><center>Tengine</center></body></html>")
