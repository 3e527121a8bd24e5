"""The team's paper checklist (docs/daily-routine.md), slot by slot, as data the report follows.

A line is either automated (it names the finding categories, platforms and cross-check that answer
it) or manual (a to-do a person ticks: nobody can automate adding a pharmacist on WeChat). The
report walks the run's slot first, then the lines every run needs, so it replaces the paper.
Platform keys here are the checklist's own words ("Yaofangwang", "Hupun"), not flow code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sweeper.errors import ConfigError
from sweeper.models import Category

SHANGHAI = ZoneInfo("Asia/Shanghai")
C = Category


@dataclass(frozen=True)
class Line:
    key: str
    label: str  # zh-CN, as the team says it
    categories: tuple[Category, ...] = ()
    platforms: tuple[str, ...] = ()  # empty: every platform swept
    check: str = ""  # a sweeper.crosscheck name
    manual: str = ""  # set for lines a person does by hand

    @property
    def automated(self) -> bool:
        return not self.manual


@dataclass(frozen=True)
class Group:
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Slot:
    key: str
    deadline: time
    title: str
    groups: tuple[Group, ...]


MARKETS = ("pingan", "suning", "pdd")
OTHERS = ("xywy", "jiage315")

ALWAYS = Group("每次必查", (
    Line("cod_zto", "货到付款订单只能发中通快递", (C.COD_NOT_ZTO,), check="cod_carrier"),
))

# 平安、苏宁、拼多多 (必不可少), plus the two smaller marketplaces, on every run.
INDISPENSABLE = Group("平安 · 苏宁 · 拼多多（必不可少）及其他平台", (
    Line("overdue", "待发货订单是否超时", (C.OVERDUE_SHIPMENT,), MARKETS + OTHERS),
    Line("due_soon", "即将超时的订单和售后（拼多多尤其注意）", (C.SHIPMENT_DUE_SOON, C.AFTERSALE_DUE_SOON),
         MARKETS + OTHERS),
    Line("refunds", "退款/退货待处理", (C.REFUND_WAITING,), MARKETS + OTHERS),
    Line("complaints", "投诉待处理", (C.COMPLAINT,), MARKETS),
    Line("rx", "处方待审核", (C.PRESCRIPTION_REVIEW,), MARKETS),
    Line("messages", "买家留言/咨询待回复", (C.BUYER_MESSAGE,), OTHERS),
    Line("wms", "WMS 分配成功", (C.UNALLOCATED,), MARKETS + OTHERS + ("hupun",), check="wms_allocation"),
    Line("return_remark", "每个退货都在万里牛备注", (C.RETURN_WITHOUT_REMARK,), check="return_remark"),
    Line("intercept", "已发货的退货：联系快递拦截", manual=(
        "平台同意退款并回复标准话术；申通在钉钉群、中通在QQ群申请拦截（原因、运单号、退货地址）。"
        "货到付款订单不接受退货，破损退货拒收。")),
))

HUPUN_0930 = Group("09:30 前 · 万里牛", (
    Line("hupun_remarks", "逐个平台检查订单备注", (C.REMARK_MISSING,), ("hupun",)),
    Line("tcm_spec", "中药商品注意核对规格", (C.TCM_SPEC_CHECK,), ("hupun",)),
))
YAOFANGWANG = Group("09:30 前 · 药房网", (
    Line("yfw_ship", "昨天17:00前的订单今天16:00前必须发出",
         (C.OVERDUE_SHIPMENT, C.SHIPMENT_DUE_SOON, C.AWAITING_SHIPMENT), ("yaofangwang",)),
    Line("yfw_wms", "WMS 中分配完成", (C.UNALLOCATED,), ("yaofangwang",)),
    Line("yfw_rx", "处方订单待审核", (C.PRESCRIPTION_REVIEW,), ("yaofangwang",)),
    Line("yfw_refunds", "退货退款待处理", (C.REFUND_WAITING, C.AFTERSALE_DUE_SOON), ("yaofangwang",)),
    Line("yfw_messages", "买家留言待回复", (C.BUYER_MESSAGE,), ("yaofangwang",)),
))
ADMIN_1000 = Group("10:00 前 · 官网后台", (
    Line("admin_to_ship", "待发货 + 平台收款的订单", (C.AWAITING_SHIPMENT,), ("admin",)),
    Line("admin_stock", "推送仓库前核对库存", (C.STOCK_SHORTAGE,), ("admin",)),
    Line("admin_followup", "读客户备注、推送待发货、加药师微信、引导线上付款", manual=(
        "逐单阅读客户备注 → 推送到「待发货」→ 添加药师微信 → 引导客户线上付款。")),
    Line("admin_rx_unpaid", "待付款订单是否含处方药", (C.RX_AWAITING_PAYMENT,), ("admin",)),
    Line("admin_reship", "平台补发备注格式（平台 + 原单号 + 补发 + 商品）", (C.RESHIP_REMARK_MALFORMED,),
         ("admin",)),
))
HUPUN_1700 = Group("17:00 前 · 万里牛", (
    Line("hupun_remarks_1700", "万里牛订单备注", (C.REMARK_MISSING, C.TCM_SPEC_CHECK), ("hupun",)),
))

SLOTS: dict[str, Slot] = {
    "0930": Slot("0930", time(9, 30), "09:30 班次", (HUPUN_0930, YAOFANGWANG, ALWAYS, INDISPENSABLE)),
    "1000": Slot("1000", time(10, 0), "10:00 班次", (ADMIN_1000, ALWAYS, INDISPENSABLE)),
    "1700": Slot("1700", time(17, 0), "17:00 班次", (HUPUN_1700, ALWAYS, INDISPENSABLE)),
}
# Lines of the other slots, shown after this slot's so that no finding lacks a home.
ALL_GROUPS = (HUPUN_0930, YAOFANGWANG, ADMIN_1000, HUPUN_1700, ALWAYS, INDISPENSABLE)


def slot_for(now: datetime) -> Slot:
    """The next slot at or after `now` (Asia/Shanghai); after 17:00, the 17:00 list still applies."""
    local = now.astimezone(SHANGHAI).time()
    for slot in SLOTS.values():
        if local <= slot.deadline:
            return slot
    return SLOTS["1700"]


def next_slot(now: datetime) -> tuple[str, datetime]:
    """The next checklist slot after `now`, and its time (today's or tomorrow's first)."""
    local = now.astimezone(SHANGHAI)
    for day in (0, 1):
        date = local.date() + timedelta(days=day)
        for slot in SLOTS.values():
            at = datetime.combine(date, slot.deadline, SHANGHAI)
            if at > local:
                return slot.key, at
    raise AssertionError("unreachable: tomorrow always has a slot")


def get_slot(key: str | None, now: datetime) -> Slot:
    if not key:
        return slot_for(now)
    try:
        return SLOTS[key.replace(":", "").strip()]  # "09:30" is how people write it
    except KeyError:
        raise ConfigError(f"unknown slot {key!r}: use one of {', '.join(SLOTS)}") from None


def ordered_groups(slot: Slot) -> list[Group]:
    """This slot's groups, then the remaining ones (titled as such by the report)."""
    return [*slot.groups, *(g for g in ALL_GROUPS if g not in slot.groups)]
