"""The bodies of MOMS list pages: orders (已卖出的宝贝), after-sales, complaints, prescriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote

from replicas.suning.data import Record
from replicas.suning.render import money, pager, paging_form, remaining, text
from replicas.suning.state import SuningState


@dataclass(frozen=True)
class View:
    """One page of one list, as requested."""

    name: str
    records: list[Record]
    total: int
    page: int
    size: int
    action: str
    now: datetime


ORDER_TABS = {"2": ("unpaid", "未付款", "待付款", "/moms/delivery/toNoPayOrders.action"),
              "3": ("to_ship", "未发货", "待发货", "/moms/delivery/toWaittodelivery.action")}
_CUR = ' class="cur"'


def _e(value: Any) -> str:
    return escape(text(value))


def order_block(state: SuningState, rec: Record, *, to_ship: bool, now: datetime) -> str:
    no = text(rec.get("orderNo"))
    times = f'<span class="order-time">下单时间：<em class="order-time-val">{_e(rec.get("orderTime"))}</em></span>'
    if to_ship:
        promise = rec.get("promiseTime")
        times += (
            f'<span class="promise">承诺发货时间：<em class="promise-time">{_e(promise)}</em></span>'
            f'<span class="remain">剩余发货时间：<em class="remain-time">{escape(remaining(promise, now))}</em></span>'
        )
    rx = '<span class="rx-tag">处方药</span>' if rec.get("rx") is True else ""
    op = (f'<a href="/moms/delivery/toDeliveryGoods.action?pagetype=1&amp;b2corderNos={quote(no)}">发货</a>'
          if to_ship else f'<a href="/moms/order/orderDetail.action?orderNo={quote(no)}">订单详情</a>')
    memo = rec.get("buyerMemo")
    memo_row = (f'<tr class="order-memo"><td colspan="6">买家留言：<span class="buyer-memo">{_e(memo)}</span>'
                "</td></tr>" if memo else "")
    cells = moved(state, [
        f'<td class="goods">{rx}<span class="goods-name">{_e(rec.get("goodsName"))}</span></td>',
        f'<td class="qty">{_e(rec.get("qty"))}</td>', f'<td class="amount">{escape(money(rec.get("amount")))}</td>',
        f'<td class="buyer"><span class="buyer-name">{_e(rec.get("buyerName"))}</span><br>'
        f'<span class="buyer-phone">{_e(rec.get("buyerPhone"))}</span></td>',
        f'<td class="status">{_e(rec.get("status"))}</td>',
    ])
    return (
        f'<tbody class="{state.hook("row")}">'
        f'<tr class="order-hd"><td colspan="6"><span class="{state.hook("order_num")}">订单号：{escape(no)}</span>'
        f'{times}<span class="pay-type">{_e(rec.get("payType"))}</span></td></tr>'
        f'<tr class="order-bd">{"".join(cells)}<td class="op">{op}</td></tr>{memo_row}</tbody>'
    )


def moved(state: SuningState, columns: list[Any]) -> list[Any]:
    """`column_moved`: the first column of a table goes last (before 操作); cells keep their classes."""
    return [*columns[1:], columns[0]] if state.fault("column_moved") and columns else columns


def orders_body(state: SuningState, tabtype: str, view: View) -> str:
    _, label, _, _ = ORDER_TABS[tabtype]
    tabs = "".join(
        f'<a href="/moms/delivery/toHaveSoldBabyMain.action?tabtype={t}"{_CUR if t == tabtype else ""}>'
        f"{escape(tab)}</a>"
        for t, (_, _, tab, _) in ORDER_TABS.items()
    )
    if view.records:
        blocks = "".join(order_block(state, r, to_ship=tabtype == "3", now=view.now) for r in view.records)
    else:
        blocks = '<tbody><tr><td colspan="6" class="no-data">暂无数据</td></tr></tbody>'
    head = "".join(f"<th>{h}</th>" for h in moved(state, ["商品", "数量", "实付金额", "买家", "订单状态"]))
    table = (
        f'<table class="order-list" cellspacing="0"><thead><tr class="order-th">{head}<th>操作</th></tr></thead>'
        f"{blocks}</table>"
        + pager("queryForm", view.action, view.total, view.page, view.size, state.hook("next"))
    )
    form = paging_form("queryForm", view.action, {"tabtype": tabtype}, view.page, table)
    return (
        '<div class="crumbs">当前位置：交易管理 &gt; 已卖出的宝贝</div>'
        f'<div class="tabbar">{tabs}</div>'
        f'<div id="{state.hook("tabdiv")}"><span class="{state.hook("count")}">'
        f"{label}：{state.counter(view.name)}</span>{form}</div>"
    )


@dataclass(frozen=True)
class Tab:
    label: str
    count: int
    href: str
    current: bool


@dataclass(frozen=True)
class Column:
    header: str
    cls: str
    field: str
    kind: str = "text"  # text | money | remaining | link


def table_body(
    state: SuningState, view: View, *, crumbs: str, form_id: str, hidden: dict[str, str],
    tabs: list[Tab], columns: tuple[Column, ...], link: tuple[str, str],
) -> str:
    """A plain list table with status tabs ("待审核(<em>N</em>)") above and the pager below."""
    nav = "".join(
        f'<li{_CUR if tab.current else ""}><a href="{escape(tab.href)}">{escape(tab.label)}'
        f"(<em>{tab.count}</em>)</a></li>"
        for tab in tabs
    )
    columns = tuple(moved(state, list(columns)))
    head = "".join(f"<th>{escape(c.header)}</th>" for c in columns) + "<th>操作</th>"
    rows = "".join(_row(r, columns, link, view.now) for r in view.records) or (
        f'<tr><td colspan="{len(columns) + 1}" class="no-data">暂无数据</td></tr>'
    )
    table = (
        f'<table class="list-table" cellspacing="0"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        + pager(form_id, view.action, view.total, view.page, view.size, state.hook("next"))
    )
    return (
        f'<div class="crumbs">当前位置：{escape(crumbs)}</div><ul class="tab-nav">{nav}</ul>'
        + paging_form(form_id, view.action, hidden, view.page, table)
    )


def _row(rec: Record, columns: tuple[Column, ...], link: tuple[str, str], now: datetime) -> str:
    cells = []
    for col in columns:
        value = rec.get(col.field)
        if col.kind == "money":
            shown = money(value)
        elif col.kind == "remaining":
            shown = text(rec["remaining"]) if "remaining" in rec else remaining(value, now)
        else:
            shown = text(value)
        cells.append(f'<td class="{col.cls}">{escape(shown)}</td>')
    href, key = link
    op = f'<td class="op"><a href="{escape(href)}{quote(text(rec.get(key)))}">查看</a></td>'
    return f'<tr class="list-row">{"".join(cells)}{op}</tr>'

