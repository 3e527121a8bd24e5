"""The list tables of the store back-end: two <tr> per record, as on the real product list.

The first row (`tr.bg-grey-cararra`) carries "订单编号：…  下单时间：…"; the second holds one cell per
column of the <thead>. Values are printed as stored, malformed ones included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from replicas.yaofangwang.layout import e

Cell = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class ListView:
    kind: str
    title: str
    path: str
    tabs: tuple[tuple[str, str], ...]
    head: Callable[[dict[str, Any]], list[tuple[str, str]]]
    columns: tuple[tuple[str, Cell], ...]


def _goods(r: dict[str, Any]) -> str:
    return f'{e(r.get("goods"))}<br><span class="font-grey">规格：{e(r.get("spec"))}</span>'


def _money(key: str) -> Cell:
    return lambda r: f'<span class="font-red">¥{e(r.get(key))}</span>'


def _plain(key: str) -> Cell:
    return lambda r: e(r.get(key))


def _allocation(r: dict[str, Any]) -> str:
    text = str(r.get("allocation", ""))
    tone = "success" if text == "分配完成" else "warning" if text == "未分配" else "danger"
    return f'<span class="label label-{tone}">{e(text)}</span>'


def _action(label: str, href: str) -> Cell:
    def cell(r: dict[str, Any]) -> str:
        target = href.format(**{k: quote(str(v), safe="") for k, v in r.items()})
        return f'<a class="btn btn-xs" href="{e(target)}">{label}</a>'

    return cell


def _order_head(r: dict[str, Any]) -> list[tuple[str, str]]:
    head = [("订单编号", r.get("order_no", "")), ("下单时间", r.get("created_at", ""))]
    return head + ([("买家留言", r["buyer_memo"])] if r.get("buyer_memo") else [])


TO_SHIP_COLUMNS: tuple[tuple[str, Cell], ...] = (
    ("商品", _goods),
    ("单价", _money("price")),
    ("数量", _plain("qty")),
    ("实付金额", _money("amount")),
    ("收货人", lambda r: f'{e(r.get("consignee"))}<br>{e(r.get("phone"))}'),
    ("分配状态", _allocation),
    ("发货截止", _plain("ship_deadline")),
    ("状态", _plain("status")),
    ("操作", lambda r: _action("详情", "/order/detail/{order_no}")(r) + " "
     + _action("发货", "/order/send/{order_no}")(r)),
)
SHIPPED_COLUMNS: tuple[tuple[str, Cell], ...] = (
    *TO_SHIP_COLUMNS[:5],
    ("物流", _plain("express")),
    ("状态", _plain("status")),
    ("操作", _action("详情", "/order/detail/{order_no}")),
)

VIEWS: dict[str, ListView] = {
    "orders": ListView(
        "orders", "订单管理", "/order/list/", (("1", "待发货"), ("2", "已发货")), _order_head,
        TO_SHIP_COLUMNS,
    ),
    "refunds": ListView(
        "refunds", "退款/退货", "/refund/list/", (("0", "待处理"), ("1", "已处理")),
        lambda r: [("退款编号", r.get("refund_no", "")), ("订单编号", r.get("order_no", "")),
                   ("申请时间", r.get("applied_at", ""))],
        (
            ("商品", _goods),
            ("退款金额", _money("amount")),
            ("类型", _plain("type")),
            ("退款原因", _plain("reason")),
            ("买家", _plain("buyer")),
            ("处理截止", _plain("deadline")),
            ("状态", _plain("status")),
            ("操作", _action("处理", "/refund/detail/{refund_no}")),
        ),
    ),
    "prescriptions": ListView(
        "prescriptions", "处方审核", "/prescription/list/", (("0", "待审核"), ("1", "已审核")),
        lambda r: [("处方编号", r.get("rx_no", "")), ("订单编号", r.get("order_no", "")),
                   ("提交时间", r.get("submitted_at", ""))],
        (
            ("药品", _plain("drugs")),
            ("患者", lambda r: f'{e(r.get("patient"))} {e(r.get("sex"))} {e(r.get("age"))}岁'),
            ("开方医师", _plain("doctor")),
            ("订单金额", _money("amount")),
            ("状态", _plain("status")),
            ("操作", _action("审核", "/prescription/detail/{rx_no}")),
        ),
    ),
    "messages": ListView(
        "messages", "买家留言", "/message/list/", (("0", "未回复"), ("1", "已回复")),
        lambda r: [("留言编号", r.get("msg_no", "")), ("留言时间", r.get("sent_at", ""))]
        + ([("订单编号", r["order_no"])] if r.get("order_no") else []),
        (
            ("买家", _plain("buyer")),
            ("咨询商品", _plain("goods")),
            ("留言内容", _plain("content")),
            ("状态", _plain("status")),
            ("操作", _action("回复", "/message/detail/{msg_no}")),
        ),
    ),
}

# What `markup_drift = {what = "columns"}` renames: a column the flow maps by its title.
DRIFTED_TITLES = {"分配状态": "WMS分配", "处理截止": "剩余时间", "患者": "就诊人", "留言内容": "内容"}


def columns_for(view: ListView, tab: str) -> tuple[tuple[str, Cell], ...]:
    return SHIPPED_COLUMNS if view.kind == "orders" and tab == "2" else view.columns


def render_table(view: ListView, tab: str, rows: list[dict[str, Any]], *, drift_rows: bool,
                 drift_columns: bool, moved: bool = False) -> str:
    """`moved` (fault `column_moved`): the first column goes to just before 操作."""
    cols = columns_for(view, tab)
    if moved:
        cols = (*cols[1:-1], cols[0], cols[-1])
    titles = [DRIFTED_TITLES.get(t, t) if drift_columns else t for t, _ in cols]
    thead = "".join(f"<th>{e(t)}</th>" for t in titles)
    head_class = "bg-grey-steel" if drift_rows else "bg-grey-cararra"
    body: list[str] = []
    for record in rows:
        spans = "".join(
            f'<span class="{"ml-20" if i else ""}">{e(label)}：<b>{e(value)}</b></span>'
            for i, (label, value) in enumerate(view.head(record))
        )
        body.append(f'<tr class="{head_class}"><td colspan="{len(cols)}">{spans}</td></tr>')
        body.append("<tr>" + "".join(f"<td>{cell(record)}</td>" for _, cell in cols) + "</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(cols)}" class="empty">暂无数据</td></tr>')
    return (
        f'<table class="table table-bordered table-hover"><thead><tr>{thead}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table>'
    )
