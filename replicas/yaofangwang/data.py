"""Synthetic store data for the 药房网 replica: orders, refunds, prescriptions, buyer messages.

Records are plain dicts with the replica's own field names (the names scenario files use in
`add.<list>` / `replace.<list>`). Times are wall-clock strings as the site prints them; deadlines
are relative to the replica clock's start, so every kind of case exists whatever the date.
Values a scenario supplies are kept as given, malformed or not, so a flow can be seen to flag them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from replicas.common.clock import SHANGHAI
from replicas.common.scenario import PlatformScenario

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
LISTS = ("orders", "refunds", "prescriptions", "messages")
DEFAULT_OPEN = {"orders": 40, "refunds": 30, "prescriptions": 30, "messages": 30}
CLOSED_PER_LIST = 12

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞婷宇浩然欣怡子轩雨"
OTC = (
    ("布洛芬缓释胶囊", "0.3g*20粒", "16.80"), ("连花清瘟胶囊", "0.35g*24粒", "14.50"),
    ("板蓝根颗粒", "10g*20袋", "12.00"), ("感冒灵颗粒", "10g*9袋", "13.90"),
    ("氯雷他定片", "10mg*6片", "21.50"), ("蒲地蓝消炎片", "0.3g*48片", "26.00"),
    ("藿香正气水", "10ml*10支", "9.80"), ("维生素C片", "0.1g*100片", "5.50"),
    ("复方甘草片", "100片", "8.60"), ("奥美拉唑肠溶胶囊", "20mg*14粒", "18.90"),
)
RX = (
    ("阿莫西林胶囊", "0.25g*24粒", "11.20"), ("头孢克肟分散片", "0.1g*12片", "32.00"),
    ("阿托伐他汀钙片", "20mg*7片", "45.60"), ("盐酸二甲双胍片", "0.5g*60片", "19.80"),
    ("苯磺酸氨氯地平片", "5mg*28片", "36.00"), ("缬沙坦胶囊", "80mg*28粒", "52.00"),
)
MEMOS = ("", "", "", "", "请尽快发货，谢谢", "发顺丰可以吗", "不要放快递柜", "请开发票")
REFUND_REASONS = ("拍错/多拍/不想要", "未按约定时间发货", "药品与描述不符", "包装破损", "七天无理由退货")
QUESTIONS = (
    "这个药孕妇可以吃吗？", "什么时候发货？", "可以开发票吗？", "有效期到什么时候？",
    "能不能便宜一点？", "儿童用量是多少？", "和感冒药能一起吃吗？", "怎么还没到货？",
)


def fmt(moment: datetime) -> str:
    """Wall-clock text in Asia/Shanghai; a naive time (a TOML local datetime) is taken as such."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).strftime(TIME_FORMAT)


def parse_time(raw: Any) -> datetime | None:
    """A time as a scenario or the data gives it; None when it is not one (kept as given)."""
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=SHANGHAI)
    try:
        return datetime.strptime(str(raw).strip(), TIME_FORMAT).replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


def ship_deadline(created: datetime) -> datetime:
    """The store's promise: placed before 17:00 on day D → leaves by 16:00 on D+1."""
    days = 1 if created.hour < 17 else 2
    return (created + timedelta(days=days)).replace(hour=16, minute=0, second=0, microsecond=0)


@dataclass
class Store:
    """Every record of the shop, by list name."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def find(self, kind: str, key: str, value: str) -> dict[str, Any] | None:
        return next((r for r in self.records[kind] if str(r.get(key)) == value), None)


class _Maker:
    """Generates plausible records; every random draw goes through the seeded RNG."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start
        self.seq = 0

    def number(self, prefix: str, moment: datetime) -> str:
        self.seq += 1
        return f"{prefix}{moment:%y%m%d}{self.seq:05d}{self.rng.randrange(10**5):05d}"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2))))

    def phone(self) -> str:
        return f"17{self.rng.randrange(10)}{self.rng.randrange(10**8):08d}"

    def ago(self, low_h: float, high_h: float) -> datetime:
        return self.start - timedelta(seconds=int(self.rng.uniform(low_h, high_h) * 3600))

    def order(self, shipped: bool = False) -> dict[str, Any]:
        roll = self.rng.random()
        # ~15 % overdue, ~35 % due today, the rest comfortable (placed after 17:00 yesterday).
        created = self.ago(60, 90) if roll < 0.15 else self.ago(20, 36) if roll < 0.5 else self.ago(0.2, 14)
        if shipped:
            created = self.ago(30, 120)
        name, spec, price = self.rng.choice(OTC)
        qty = self.rng.choice((1, 1, 1, 2, 3))
        alloc = self.rng.random()
        return {
            "order_no": self.number("", created),
            "created_at": fmt(created),
            "status": "已发货" if shipped else "待发货",
            "goods": name, "spec": spec, "price": price, "qty": qty,
            "amount": f"{float(price) * qty + 6:.2f}",
            "consignee": self.person(), "phone": self.phone(),
            "allocation": "分配完成" if shipped or alloc < 0.85 else (
                "未分配" if alloc < 0.95 else "锁库失败·库存不足"),
            "buyer_memo": self.rng.choice(MEMOS),
            "express": "中通快递" if shipped else "",
        }

    def refund(self, done: bool = False) -> dict[str, Any]:
        deadline = self.start + timedelta(seconds=int(self.rng.uniform(1, 47) * 3600))
        name, spec, price = self.rng.choice(OTC)
        kind = self.rng.choice(("仅退款", "退货退款"))
        pending = "待商家处理" if kind == "仅退款" else self.rng.choice(("待商家处理", "买家已退货，待商家收货"))
        return {
            "refund_no": self.number("TK", deadline - timedelta(hours=48)),
            "order_no": self.number("", deadline - timedelta(hours=70)),
            "applied_at": fmt(deadline - timedelta(hours=48)),
            "type": kind, "reason": self.rng.choice(REFUND_REASONS),
            "goods": name, "spec": spec, "amount": price, "buyer": self.person(),
            "status": "退款成功" if done else pending, "deadline": "" if done else fmt(deadline),
        }

    def prescription(self, done: bool = False) -> dict[str, Any]:
        submitted = self.ago(0.1, 40)
        name, spec, price = self.rng.choice(RX)
        return {
            "rx_no": self.number("CF", submitted), "order_no": self.number("", submitted),
            "submitted_at": fmt(submitted), "patient": self.person(),
            "sex": self.rng.choice("男女"), "age": self.rng.randrange(18, 80),
            "drugs": f"{name} {spec} ×{self.rng.choice((1, 2))}", "amount": price,
            "doctor": self.person() + " 医师", "status": "审核通过" if done else "待审核",
        }

    def message(self, done: bool = False) -> dict[str, Any]:
        sent = self.ago(0.1, 60)
        name, spec, _ = self.rng.choice(OTC)
        return {
            "msg_no": self.number("LY", sent),
            "order_no": self.number("", sent) if self.rng.random() < 0.5 else "",
            "sent_at": fmt(sent), "buyer": "yfw_" + self.phone()[-6:], "goods": f"{name} {spec}",
            "content": self.rng.choice(QUESTIONS), "status": "已回复" if done else "未回复",
        }


def _defaults(kind: str, maker: _Maker, record: dict[str, Any]) -> dict[str, Any]:
    """A scenario record completed with generated values for the fields it leaves out."""
    made: dict[str, Callable[[], dict[str, Any]]] = {
        "orders": maker.order, "refunds": maker.refund,
        "prescriptions": maker.prescription, "messages": maker.message,
    }
    base = made[kind]()
    merged = {**base, **{k: fmt(v) if isinstance(v, datetime) else v for k, v in record.items()}}
    if kind == "orders" and "ship_deadline" not in record:
        created = parse_time(merged["created_at"])
        merged["ship_deadline"] = fmt(ship_deadline(created)) if created else ""
    if kind == "orders" and "status" not in record:
        merged["status"] = "待发货"
    return merged


def build_store(scenario: PlatformScenario, rng: random.Random, start: datetime) -> Store:
    maker = _Maker(rng, start)
    empty = scenario.has("empty_lists")
    store = Store()
    for kind in LISTS:
        count = 0 if empty else scenario.items if scenario.items is not None else DEFAULT_OPEN[kind]
        made = getattr(maker, kind[:-1])
        rows: list[dict[str, Any]] = [made() for _ in range(count)]
        rows += [made(True) for _ in range(0 if empty else CLOSED_PER_LIST)]
        if kind == "orders":
            for row in rows:
                row["ship_deadline"] = fmt(ship_deadline(parse_time(row["created_at"]) or start))
        if kind in scenario.replace:
            rows = [_defaults(kind, maker, r) for r in scenario.replace[kind]]
        rows += [_defaults(kind, maker, r) for r in scenario.add.get(kind, [])]
        store.records[kind] = sorted(rows, key=_time_key(kind), reverse=True)
    return store


def _time_key(kind: str) -> Callable[[dict[str, Any]], str]:
    field_name = {"orders": "created_at", "refunds": "applied_at",
                  "prescriptions": "submitted_at", "messages": "sent_at"}[kind]
    return lambda row: str(row.get(field_name, ""))


def open_statuses(kind: str, tab: str) -> tuple[str, ...] | None:
    """Which record statuses a list tab shows (None = every status)."""
    tabs: dict[str, dict[str, tuple[str, ...]]] = {
        "orders": {"1": ("待发货",), "2": ("已发货",)},
        "refunds": {"0": ("待商家处理", "买家已退货，待商家收货"), "1": ("退款成功", "已拒绝")},
        "prescriptions": {"0": ("待审核",), "1": ("审核通过", "审核驳回")},
        "messages": {"0": ("未回复",), "1": ("已回复",)},
    }
    return tabs[kind].get(tab)
