"""Seeded synthetic records of the 平安健康 seller replica, in the gateway's own field names.

Times are unix **milliseconds** and money is **fen**, as the console's Java gateway returns them.
Deadlines are relative to the replica clock's start, so overdue, due-soon and comfortable cases
always exist. Scenario `add.<list>` records are merged (by id) over generated defaults and
`replace.<list>` records replace a whole list; values are kept exactly as given, malformed or not.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from replicas.common.scenario import PlatformScenario
from replicas.pingan import vocab

Record = dict[str, Any]
LISTS = ("orders", "refunds", "prescriptions", "complaints")
ID_FIELD = {"orders": "orderId", "refunds": "refundId", "prescriptions": "rxId", "complaints": "complaintId"}
STATUS_FIELD = {"orders": "orderStatus", "refunds": "refundStatus", "prescriptions": "auditStatus",
                "complaints": "status"}
SORT_FIELD = {"orders": "createTime", "refunds": "applyTime", "prescriptions": "submitTime",
              "complaints": "createTime"}
DEFAULT_OPEN = {"orders_accept": 30, "orders_ship": 50, "refunds": 36, "prescriptions": 32, "complaints": 30}
CLOSED_PER_STATUS = 10
HOUR = timedelta(hours=1)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Generator:
    """Makes one record at a time; the same seed gives the same records."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.start = start
        self.seq = 0

    def _id(self, lead: str, at: datetime) -> str:
        self.seq += 1
        return f"{lead}{at:%y%m%d}{self.seq:07d}{self.rng.randint(100, 999)}"

    def _hours(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.randint(int(low * 60), int(high * 60)))

    def _person(self) -> str:
        given = "".join(self.rng.choice(vocab.GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(vocab.SURNAMES) + given

    def _mobile(self) -> str:
        return f"{self.rng.choice(vocab.MOBILE_PREFIXES)}****{self.rng.randint(0, 9999):04d}"

    def _deadline(self, index: int) -> timedelta:
        """Overdue for 3 of 20, due within 12 h for 4 of 20, comfortable for the rest."""
        bucket = index % 20
        if bucket < 3:
            return -self._hours(0.5, 30)
        if bucket < 7:
            return self._hours(0.25, 11.5)
        return self._hours(13, 72)

    def order(self, status: int, index: int) -> Record:
        open_ = status in (10, 20)
        deadline = self.start + (self._deadline(index) if open_ else -self._hours(24, 240))
        paid = self.start - self._hours(0.1, 40) if open_ else deadline - timedelta(hours=48)
        goods = [self.rng.choice(vocab.GOODS) for _ in range(self.rng.choice((1, 1, 1, 2)))]
        items: list[Record] = [
            {"skuName": g[0], "spec": g[1], "quantity": self.rng.randint(1, 3), "price": g[2]} for g in goods
        ]
        province, city, district = self.rng.choice(vocab.PLACES)
        record: Record = {
            "orderId": self._id("8", paid), "orderStatus": status,
            "orderStatusDesc": vocab.ORDER_STATUS.get(status, str(status)),
            "createTime": ms(paid - self._hours(0, 0.2)), "payTime": ms(paid),
            "promiseDeliveryTime": ms(deadline),
            "payAmount": sum(int(i["price"]) * int(i["quantity"]) for i in items), "freightAmount": 0,
            "items": items, "isRx": any(g[3] for g in goods),
            "receiverName": self._person(), "receiverMobile": self._mobile(),
            "receiverAddress": f"{province}{city}{district}****", "buyerMemo": self.rng.choice(vocab.BUYER_MEMOS),
            "sellerMemo": "", "logisticsCompany": "", "waybillNo": "",
        }
        if status in (30, 40):
            record["logisticsCompany"] = self.rng.choice(vocab.COURIERS)
            record["waybillNo"] = f"7{self.rng.randint(10**13, 10**14 - 1)}"
        return record

    def refund(self, status: int, index: int) -> Record:
        open_ = status == 10
        left = (self._hours(0.5, 23) if index % 10 < 3 else self._hours(25, 70)) if open_ else -self._hours(24, 200)
        deadline = self.start + left
        applied = deadline - timedelta(hours=72)
        name, spec, price, _ = self.rng.choice(vocab.GOODS)
        kind = self.rng.choice((1, 1, 2))
        return {
            "refundId": self._id("5", applied), "orderId": self._id("8", applied - 24 * HOUR),
            "refundType": kind, "refundTypeDesc": vocab.REFUND_TYPE[kind], "refundStatus": status,
            "refundStatusDesc": vocab.REFUND_STATUS.get(status, str(status)),
            "applyTime": ms(applied), "handleDeadline": ms(deadline), "refundAmount": price,
            "reason": self.rng.choice(vocab.REFUND_REASONS), "skuName": f"{name} {spec}",
            "buyerName": self._person(), "buyerMemo": "",
        }

    def prescription(self, status: int, index: int) -> Record:
        submitted = self.start - self._hours(0.1, 20 if status == 0 else 200)
        drugs = [self.rng.choice([g for g in vocab.GOODS if g[3]]) for _ in range(self.rng.choice((1, 2)))]
        return {
            "rxId": self._id("RX", submitted), "orderId": self._id("8", submitted),
            "auditStatus": status, "auditStatusDesc": vocab.RX_STATUS.get(status, str(status)),
            "submitTime": ms(submitted), "patientName": self._person(),
            "patientGender": self.rng.choice(("男", "女")), "patientAge": self.rng.randint(18, 85),
            "diagnosis": self.rng.choice(vocab.DIAGNOSES),
            "drugs": [{"name": d[0], "spec": d[1], "quantity": 1} for d in drugs],
            "doctorName": self.rng.choice(vocab.DOCTORS), "hospitalName": vocab.HOSPITAL,
        }

    def complaint(self, status: int, index: int) -> Record:
        left = (self._hours(0.5, 23) if index % 10 < 3 else self._hours(25, 70)) if status == 0 else -self._hours(30, 200)
        deadline = self.start + left
        created = deadline - timedelta(hours=72)
        kind, text = self.rng.choice(vocab.COMPLAINT_TYPES)
        return {
            "complaintId": self._id("C", created), "orderId": self._id("8", created - 48 * HOUR),
            "complaintType": kind, "content": text, "status": status,
            "statusDesc": vocab.COMPLAINT_STATUS.get(status, str(status)),
            "createTime": ms(created), "handleDeadline": ms(deadline), "buyerName": self._person(),
        }

    def maker(self, list_name: str) -> Callable[[int, int], Record]:
        makers: dict[str, Callable[[int, int], Record]] = {
            "orders": self.order, "refunds": self.refund,
            "prescriptions": self.prescription, "complaints": self.complaint,
        }
        return makers[list_name]


def _open_counts(items: int | None) -> dict[str, int]:
    return {k: (v if items is None else items) for k, v in DEFAULT_OPEN.items()}


def generate(gen: Generator, items: int | None) -> dict[str, list[Record]]:
    counts = _open_counts(items)
    spec: dict[str, list[tuple[int, int]]] = {
        "orders": [(10, counts["orders_accept"]), (20, counts["orders_ship"]),
                   (30, CLOSED_PER_STATUS), (40, CLOSED_PER_STATUS), (50, CLOSED_PER_STATUS)],
        "refunds": [(10, counts["refunds"]), (20, CLOSED_PER_STATUS), (40, CLOSED_PER_STATUS),
                    (50, CLOSED_PER_STATUS)],
        "prescriptions": [(0, counts["prescriptions"]), (1, CLOSED_PER_STATUS), (2, CLOSED_PER_STATUS)],
        "complaints": [(0, counts["complaints"]), (1, CLOSED_PER_STATUS)],
    }
    data: dict[str, list[Record]] = {}
    for name, statuses in spec.items():
        make = gen.maker(name)
        data[name] = [make(status, i) for status, n in statuses for i in range(n)]
    return data


def _complete(gen: Generator, list_name: str, given: Record) -> Record:
    """A scenario record over generated defaults; given values are kept as they are."""
    status_field = STATUS_FIELD[list_name]
    status = given.get(status_field)
    default_status = vocab.OPEN_STATUS["orders_ship" if list_name == "orders" else list_name]
    template = gen.maker(list_name)(status if isinstance(status, int) else default_status, 7)
    desc_field = {"orders": "orderStatusDesc", "refunds": "refundStatusDesc",
                  "prescriptions": "auditStatusDesc", "complaints": "statusDesc"}[list_name]
    merged = {**template, **given}
    if desc_field not in given and not isinstance(status, int) and status_field in given:
        merged[desc_field] = str(status)
    return merged


def _sort_key(list_name: str) -> Callable[[Record], int]:
    field = SORT_FIELD[list_name]
    return lambda r: r[field] if isinstance(r.get(field), int) else 0


def build_data(rng: random.Random, start: datetime, scenario: PlatformScenario) -> dict[str, list[Record]]:
    gen = Generator(rng, start)
    data = generate(gen, scenario.items)
    for name, records in scenario.replace.items():
        data[_known(name)] = [_complete(gen, name, r) for r in records]
    for name, records in scenario.add.items():
        _merge(data[_known(name)], (_complete(gen, name, r) for r in records), ID_FIELD[name])
    for name in LISTS:
        data[name].sort(key=_sort_key(name), reverse=True)
    return data


def _known(name: str) -> str:
    if name not in LISTS:
        raise ValueError(f"pingan replica has no list {name!r} (lists: {', '.join(LISTS)})")
    return name


def _merge(target: list[Record], records: Iterable[Record], id_field: str) -> None:
    where = {r.get(id_field): i for i, r in enumerate(target)}
    for record in records:
        index = where.get(record.get(id_field))
        if index is None:
            target.append(record)
        else:
            target[index] = record
