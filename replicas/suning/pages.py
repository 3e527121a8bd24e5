"""moms page handlers: home with counters and the announcement, the lists, the detail pages."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from replicas.common.faults import restyle_fields
from replicas.suning.data import KEY_FIELD, Record, list_name
from replicas.suning.lists import ORDER_TABS, Column, Tab, View, orders_body, table_body
from replicas.suning.render import chrome, error_page, kv_table, money, remaining, text
from replicas.suning.state import Session, SuningState

TIME_FIELDS = ("applyTime", "createTime", "deadline", "orderTime", "promiseTime", "submitTime")

if TYPE_CHECKING:
    from replicas.suning.moms import Moms

AFTERSALE_TABS = {"1": ("aftersale_review", "待审核"), "2": ("aftersale_receive", "待收货"),
                  "3": ("aftersale_done", "已完成")}
AFTERSALE_COLUMNS = (
    Column("服务单号", "c-serviceNo", "serviceNo"), Column("订单号", "c-orderNo", "orderNo"),
    Column("申请时间", "c-applyTime", "applyTime"), Column("售后类型", "c-kind", "kind"),
    Column("商品名称", "c-goods", "goodsName"), Column("退款金额", "c-amount", "refundAmount", "money"),
    Column("买家", "c-buyer", "buyerName"), Column("申请原因", "c-reason", "reason"),
    Column("状态", "c-status", "status"), Column("剩余处理时间", "c-remain", "deadline", "remaining"),
)
COMPLAINT_COLUMNS = (
    Column("投诉单号", "c-complaintNo", "complaintNo"), Column("订单号", "c-orderNo", "orderNo"),
    Column("投诉类型", "c-kind", "kind"), Column("投诉内容", "c-content", "content"),
    Column("买家", "c-buyer", "buyerName"), Column("投诉时间", "c-createTime", "createTime"),
    Column("处理截止时间", "c-deadline", "deadline"), Column("状态", "c-status", "status"),
)
PRESCRIPTION_COLUMNS = (
    Column("处方单号", "c-rxNo", "rxNo"), Column("订单号", "c-orderNo", "orderNo"),
    Column("药品名称", "c-drug", "drugName"), Column("用药人", "c-patient", "patient"),
    Column("开方医院", "c-hospital", "hospital"), Column("医生", "c-doctor", "doctor"),
    Column("提交时间", "c-submitTime", "submitTime"), Column("状态", "c-status", "status"),
)


class Pages:
    def __init__(self, state: SuningState, moms: Moms) -> None:
        self.state = state
        self.moms = moms

    def html(self, session: Session, title: str, body: str, *, notice: bool = False) -> HTMLResponse:
        return HTMLResponse(chrome(title=title, user=session.username, body=body, notice=notice))

    def view(self, name: str, page: int, size: int, action: str) -> View:
        records = self.state.lists[name]
        if self.state.fault("list_shift") and list_name(str(self.state.arg("list_shift", "list", "to_ship"))) == name:
            self.state.shift.before_page(page, records, records, self._fresh)
        chunk = records[(page - 1) * size: page * size]
        if self.state.fault("date_format"):
            chunk = [restyle_fields(r, TIME_FIELDS) for r in chunk]
        return View(name, chunk, len(records), page, size, action, self.state.env.clock.now())

    def _fresh(self, top: Record) -> Record:
        """A record that arrived just now, in the same list as the list's top row (`list_shift`)."""
        key = next(k for k in ("serviceNo", "complaintNo", "rxNo", "orderNo") if k in top)
        return {**top, key: f"{top[key]}1"}

    def chrome(self, session: Session, *, title: str, body: str) -> str:
        """A list page; under `list_modal` the announcement covers list pages until it is closed."""
        notice = self.state.fault("list_modal") and not session.list_notice_read
        return chrome(title=title, user=session.username, body=body, notice=notice, mask=notice)

    # -- home -------------------------------------------------------------------------------
    async def home(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        lists = self.state.lists
        counters = (
            ("待发货订单", len(lists["to_ship"]), "/moms/delivery/toHaveSoldBabyMain.action?tabtype=3"),
            ("待付款订单", len(lists["unpaid"]), "/moms/delivery/toHaveSoldBabyMain.action?tabtype=2"),
            ("售后待审核", len(lists["aftersale_review"]), "/moms/aftersale/afterSaleList.action?status=1"),
            ("投诉待处理", len(lists["complaints"]), "/moms/complaint/complaintList.action?status=0"),
            ("处方待审核", len(lists["prescriptions"]), "/moms/prescription/list.action?status=0"),
        )
        cells = "".join(
            f'<td><a href="{href}">{escape(label)}</a><br><b class="todo-num">{n}</b></td>'
            for label, n, href in counters
        )
        body = (
            '<div class="crumbs">当前位置：首页</div><h3>待办事项</h3>'
            f'<table class="list-table todo" cellspacing="0"><tr>{cells}</tr></table>'
        )
        return self.html(session, "首页", body, notice=not session.notice_read)

    async def notice_read(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        if params.get("kind") == "list":
            session.list_notice_read = True
        else:
            session.notice_read = True
        return JSONResponse({"success": True})

    # -- orders -----------------------------------------------------------------------------
    async def orders(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        tabtype = params.get("tabtype", "3")
        if tabtype not in ORDER_TABS:
            tabtype = "3"
        name, _, title, _ = ORDER_TABS[tabtype]

        def render(page: int, size: int) -> str:
            view = self.view(name, page, size, request.url.path)
            return self.chrome(session, title=title, body=orders_body(self.state, tabtype, view))

        return await self.moms.list_page(request, name, params, render)

    async def no_pay(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        return await self.orders(request, session, {**params, "tabtype": "2"})

    async def wait_delivery(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        return await self.orders(request, session, {**params, "tabtype": "3"})

    # -- plain tables -----------------------------------------------------------------------
    async def aftersales(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        status = params.get("status", "1") if params.get("status") in AFTERSALE_TABS else "1"
        name, title = AFTERSALE_TABS[status]
        base = "/moms/aftersale/afterSaleList.action"
        tabs = [Tab(label, len(self.state.lists[n]) if n != name else self.state.counter(n),
                    f"{base}?status={s}", s == status) for s, (n, label) in AFTERSALE_TABS.items()]

        def render(page: int, size: int) -> str:
            body = table_body(
                self.state, self.view(name, page, size, base), crumbs="售后管理 > 售后服务单",
                form_id="afterSaleForm", hidden={"status": status}, tabs=tabs, columns=AFTERSALE_COLUMNS,
                link=("/moms/aftersale/afterSaleDetail.action?serviceNo=", "serviceNo"),
            )
            return self.chrome(session, title=f"售后服务单-{title}", body=body)

        return await self.moms.list_page(request, name, params, render)

    async def complaints(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        base = "/moms/complaint/complaintList.action"
        pending = params.get("status", "0") == "0"
        tabs = [Tab("待处理", self.state.counter("complaints"), f"{base}?status=0", pending),
                Tab("已处理", 0, f"{base}?status=1", not pending)]
        return await self._simple(request, session, params, "complaints", pending, tabs, base,
                                  "投诉管理 > 投诉处理", "complaintForm", COMPLAINT_COLUMNS,
                                  "/moms/complaint/complaintDetail.action?complaintNo=")

    async def prescriptions(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        base = "/moms/prescription/list.action"
        status = params.get("status", "0")
        tabs = [Tab("待审核", self.state.counter("prescriptions"), f"{base}?status=0", status == "0"),
                Tab("已通过", 0, f"{base}?status=1", status == "1"),
                Tab("已驳回", 0, f"{base}?status=2", status == "2")]
        return await self._simple(request, session, params, "prescriptions", status == "0", tabs, base,
                                  "处方管理 > 处方审核", "rxForm", PRESCRIPTION_COLUMNS,
                                  "/moms/prescription/detail.action?rxNo=")

    async def _simple(self, request: Request, session: Session, params: dict[str, str], name: str,
                      open_tab: bool, tabs: list[Tab], base: str, crumbs: str, form_id: str,
                      columns: tuple[Column, ...], detail: str) -> Response:
        status = next((t.href.rsplit("=", 1)[1] for t in tabs if t.current), "0")

        def render(page: int, size: int) -> str:
            view = self.view(name, page, size, base)
            if not open_tab:  # the closed tabs are kept empty in the replica
                view = View(name, [], 0, 1, size, base, view.now)
            body = table_body(self.state, view, crumbs=crumbs, form_id=form_id, hidden={"status": status},
                              tabs=tabs, columns=columns, link=(detail, KEY_FIELD[name]))
            return self.chrome(session, title=crumbs.rsplit(" > ", maxsplit=1)[-1], body=body)

        return await self.moms.list_page(request, name, params, render)

    # -- detail pages -----------------------------------------------------------------------
    def _find(self, names: tuple[str, ...], field: str, value: str) -> Record | None:
        for name in names:
            for rec in self.state.lists[name]:
                if text(rec.get(field)) == value:
                    return rec
        return None

    def _detail(self, session: Session, title: str, rec: Record | None, extra: str = "") -> Response:
        if rec is None:
            return HTMLResponse(error_page("对不起，您查询的单据不存在！"), 200)
        now = self.state.env.clock.now()
        rows = [(k, money(v) if k in ("amount", "refundAmount") else text(v)) for k, v in rec.items()]
        if "deadline" in rec:
            rows.append(("剩余处理时间", remaining(rec["deadline"], now)))
        return self.html(session, title, kv_table(title, rows, extra))

    async def ship(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        rec = self._find(("to_ship",), "orderNo", params.get("b2corderNos", ""))
        form = (
            '<div class="ship"><p>SN码：<textarea name="snCodes" rows="3" cols="40"></textarea></p>'
            '<div class="manySelfLogisticsfun">物流公司：<select name="logistics"><option>中通快递</option>'
            '<option>申通快递</option><option>顺丰速运</option></select> 运单号：'
            '<input type="text" name="expressNo"></div><div class="fh-center"><a href="javascript:void(0);">'
            "确认发货</a></div></div>"
        )
        return self._detail(session, "交易管理 > 订单发货", rec, form)

    async def order_detail(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        rec = self._find(("unpaid", "to_ship"), "orderNo", params.get("orderNo", ""))
        return self._detail(session, "交易管理 > 订单详情", rec)

    async def aftersale_detail(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        names = ("aftersale_review", "aftersale_receive", "aftersale_done")
        return self._detail(session, "售后管理 > 服务单详情",
                            self._find(names, "serviceNo", params.get("serviceNo", "")))

    async def complaint_detail(self, request: Request, session: Session, params: dict[str, str]) -> Response:
        rec = self._find(("complaints",), "complaintNo", params.get("complaintNo", ""))
        return self._detail(session, "投诉管理 > 投诉详情", rec)

    async def prescription_detail(
        self, request: Request, session: Session, params: dict[str, str]
    ) -> Response:
        rec = self._find(("prescriptions",), "rxNo", params.get("rxNo", ""))
        return self._detail(session, "处方管理 > 处方详情", rec)
