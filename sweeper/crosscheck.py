"""Rules that compare systems with each other, over a finished run (never inside a flow).

The ERP (the platform whose flow has `role = "erp"`, 万里牛 here) is compared with every
marketplace. The checks are the checklist's most error-prone lines:

    return_remark    every return/refund waiting on a marketplace has a remark in the ERP
    wms_allocation   every order awaiting shipment on a marketplace is allocated in the WMS
    cod_carrier      a cash-on-delivery order ships with ZTO (中通) only

A check's silence means "compared, and it matched" only when its status is `checked`. When the
ERP was not read to the end nothing can be concluded, and the check says so (`not_checked`).
A finding a flow already reported (same category and order number) is counted, not repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sweeper.models import (
    Category,
    CheckResult,
    CheckStatus,
    FactKind,
    Finding,
    FlowResult,
    FlowStatus,
    OrderFact,
    RunResult,
)

ERP_ROLE = "erp"
RETURN_CATEGORIES = frozenset({Category.REFUND_WAITING, Category.AFTERSALE_DUE_SOON})
# A remark "records the return" when it says so; a remark about something else does not.
RETURN_REMARK_WORDS = ("退", "售后", "拦截", "拒收")
COD_CARRIER_OK = ("中通",)

_WHY_NOT = {
    FlowStatus.FAILED: "检查失败",
    FlowStatus.NEEDS_LOGIN: "登录已失效",
    FlowStatus.PARTIAL: "只读到一部分",
}


@dataclass
class _Erp:
    """The ERP's view of orders, merged across its views, keyed by (marketplace, order number).

    A row whose shop the ERP flow could not map to a marketplace (source "") still matches by
    order number alone: better a match on the number than a false "missing from the ERP".
    """

    orders: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    unmapped: dict[str, dict[str, str]] = field(default_factory=dict)
    reported: set[tuple[Category, str]] = field(default_factory=set)

    @classmethod
    def of(cls, erps: Iterable[FlowResult]) -> _Erp:
        erp = cls()
        for result in erps:
            for fact in result.facts:
                if fact.kind is not FactKind.ERP_ORDER:
                    continue
                if fact.source:
                    erp.orders.setdefault((fact.source, fact.order_no), {}).update(fact.fields)
                else:
                    erp.unmapped.setdefault(fact.order_no, {}).update(fact.fields)
            erp.reported.update((f.category, f.order_no) for f in result.findings)
        return erp

    def order(self, marketplace: str, order_no: str) -> dict[str, str] | None:
        return self.orders.get((marketplace, order_no)) or self.unmapped.get(order_no)


@dataclass(frozen=True)
class _Scope:
    """Which systems a check can rely on in this run."""

    erps: list[FlowResult]
    markets: list[FlowResult]

    @property
    def erp_ok(self) -> bool:
        return bool(self.erps) and all(r.status is FlowStatus.OK for r in self.erps)

    def usable(self) -> list[FlowResult]:
        """Marketplaces whose rows were read (a partial read still holds true rows)."""
        return [m for m in self.markets if m.status in (FlowStatus.OK, FlowStatus.PARTIAL)]

    def result(self, name: str) -> CheckResult:
        unchecked = {m.platform: _WHY_NOT[m.status] for m in self.markets if m.status is not FlowStatus.OK}
        if not self.erp_ok:
            for erp in self.erps or []:
                unchecked[erp.platform] = _WHY_NOT.get(erp.status, "")
            if not self.erps:
                unchecked[ERP_ROLE] = "未启用"
            return CheckResult(name=name, status=CheckStatus.NOT_CHECKED, unchecked=unchecked)
        usable = self.usable()
        if not usable:
            return CheckResult(name=name, status=CheckStatus.NOT_CHECKED, unchecked=unchecked)
        compared = [e.platform for e in self.erps] + [m.platform for m in usable]
        status = CheckStatus.PARTIAL if unchecked else CheckStatus.CHECKED
        return CheckResult(name=name, status=status, compared=compared, unchecked=unchecked)


def with_cross_checks(run: RunResult) -> RunResult:
    """The run with its cross-checks (re)computed from its flows' findings and facts."""
    scope = _Scope(
        erps=[p for p in run.platforms if p.role == ERP_ROLE],
        markets=[p for p in run.platforms if p.role != ERP_ROLE],
    )
    erp = _Erp.of(scope.erps)
    already = erp.reported | {(f.category, f.order_no) for p in scope.markets for f in p.findings}
    checks = [check(scope, erp, already) for check in CHECKS]
    return run.model_copy(update={"checks": checks})


Subjects = Callable[[FlowResult], Iterable[tuple[str, Finding | None]]]
Verdict = Callable[[str, dict[str, str] | None], str | None]  # None: the systems agree


def _compare(
    scope: _Scope, name: str, category: Category, subjects: Subjects, verdict: Verdict,
    erp: _Erp, already: set[tuple[Category, str]],
) -> CheckResult:
    result = scope.result(name)
    if result.status is CheckStatus.NOT_CHECKED:
        return result
    for market in scope.usable():
        for order_no, origin in subjects(market):
            result.checked += 1
            why = verdict(order_no, erp.order(market.platform, order_no))
            if why is None:
                continue
            if (category, order_no) in already:
                result.listed_elsewhere += 1
                continue
            already.add((category, order_no))
            result.findings.append(_finding(market, category, order_no, origin, why, name))
    return result


def _finding(
    market: FlowResult, category: Category, order_no: str, origin: Finding | None, why: str, name: str
) -> Finding:
    base = {"item": origin.item, "status_text": origin.status_text, "link": origin.link} if origin else {}
    return Finding(
        platform=market.platform, account=market.account, category=category, order_no=order_no,
        detail=f"{market.label or market.platform} × 万里牛：{why}", check=name, **base,
    )


def check_return_remarks(scope: _Scope, erp: _Erp, already: set[tuple[Category, str]]) -> CheckResult:
    def returns(market: FlowResult) -> Iterable[tuple[str, Finding | None]]:
        seen: set[str] = set()
        for f in market.findings:
            if f.category in RETURN_CATEGORIES and f.order_no not in seen:
                seen.add(f.order_no)
                yield f.order_no, f

    def verdict(_order_no: str, order: dict[str, str] | None) -> str | None:
        if order is None:
            return "万里牛中找不到该订单，无法确认退货备注"
        remark = order.get("remark", "").strip()
        if not remark:
            return "万里牛卖家备注为空，退货未备注"
        if not any(word in remark for word in RETURN_REMARK_WORDS):
            return f"万里牛备注未提及退货：「{remark[:60]}」"
        return None

    return _compare(scope, "return_remark", Category.RETURN_WITHOUT_REMARK, returns, verdict, erp, already)


def _awaiting(market: FlowResult) -> Iterable[tuple[str, Finding | None]]:
    by_order = {f.order_no: f for f in market.findings}
    seen: set[str] = set()
    for fact in market.facts:
        if fact.kind is FactKind.AWAITING_SHIPMENT and fact.order_no not in seen:
            seen.add(fact.order_no)
            yield fact.order_no, by_order.get(fact.order_no)


def check_wms_allocation(scope: _Scope, erp: _Erp, already: set[tuple[Category, str]]) -> CheckResult:
    def verdict(_order_no: str, order: dict[str, str] | None) -> str | None:
        if order is None:
            return "万里牛/WMS 中没有该订单（未推送或未同步），无法分配发货"
        if "wms_state" not in order:
            return "WMS 中没有该订单的分配记录"
        return None  # in the WMS: an unallocated state is the ERP flow's own finding

    result = _compare(scope, "wms_allocation", Category.UNALLOCATED, _awaiting, verdict, erp, already)
    result.listed_elsewhere += _unallocated_in_erp(scope, erp)
    return result


def _unallocated_in_erp(scope: _Scope, erp: _Erp) -> int:
    """Marketplace orders the ERP flow itself reported as not allocated."""
    waiting = {no for m in scope.usable() for no, _ in _awaiting(m)}
    return sum(1 for category, no in erp.reported if category is Category.UNALLOCATED and no in waiting)


def check_cod_carrier(scope: _Scope, erp: _Erp, already: set[tuple[Category, str]]) -> CheckResult:
    def cod_orders(market: FlowResult) -> Iterable[tuple[str, Finding | None]]:
        cod = _cod_order_numbers(market.facts)
        for order_no, origin in _awaiting(market):
            if order_no in cod or (erp.order(market.platform, order_no) or {}).get("cod") == "true":
                yield order_no, origin

    def verdict(order_no: str, order: dict[str, str] | None) -> str | None:
        carrier = (order or {}).get("carrier", "").strip()
        if not carrier or any(ok in carrier for ok in COD_CARRIER_OK):
            return None  # no carrier chosen yet, or ZTO
        return f"货到付款订单在万里牛中的快递为「{carrier}」，只能用中通快递"

    return _compare(scope, "cod_carrier", Category.COD_NOT_ZTO, cod_orders, verdict, erp, already)


def _cod_order_numbers(facts: Iterable[OrderFact]) -> set[str]:
    return {f.order_no for f in facts if f.fields.get("cod") == "true"}


CHECKS: tuple[Callable[[_Scope, _Erp, set[tuple[Category, str]]], CheckResult], ...] = (
    check_return_remarks,
    check_wms_allocation,
    check_cod_carrier,
)
