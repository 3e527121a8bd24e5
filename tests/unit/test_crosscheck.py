"""Cross-checks between the marketplaces and the ERP, each both ways and with a failed source."""

from __future__ import annotations

from sweeper.crosscheck import with_cross_checks
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
from tests.helpers import FIXED_NOW


def _finding(platform: str, category: Category, order_no: str, **extra: str) -> Finding:
    return Finding(platform=platform, account="default", category=category, order_no=order_no, **extra)


def _fact(platform: str, kind: FactKind, order_no: str, source: str = "", **fields: str) -> OrderFact:
    return OrderFact(platform=platform, account="default", kind=kind, order_no=order_no, source=source,
                     fields=fields)


def _result(platform: str, *, role: str = "marketplace", status: FlowStatus = FlowStatus.OK,
            findings: list[Finding] | None = None, facts: list[OrderFact] | None = None) -> FlowResult:
    return FlowResult(platform=platform, account="default", label=platform.upper(), role=role, status=status,
                      findings=findings or [], facts=facts or [], started_at=FIXED_NOW)


def _erp(*facts: OrderFact, status: FlowStatus = FlowStatus.OK,
         findings: list[Finding] | None = None) -> FlowResult:
    return _result("hupun", role="erp", status=status, facts=list(facts), findings=findings)


def _check(run_platforms: list[FlowResult], name: str) -> CheckResult:
    run = RunResult(run_id="t", now=FIXED_NOW, started_at=FIXED_NOW, finished_at=FIXED_NOW,
                    platforms=run_platforms)
    checked = with_cross_checks(run)
    return next(c for c in checked.checks if c.name == name)


def _remark(order_no: str, remark: str, source: str = "pdd") -> OrderFact:
    return _fact("hupun", FactKind.ERP_ORDER, order_no, source=source, remark=remark)


REFUNDS = [
    _finding("pdd", Category.REFUND_WAITING, "A1", item="布洛芬"),
    _finding("pdd", Category.AFTERSALE_DUE_SOON, "A2"),
    _finding("pdd", Category.REFUND_WAITING, "A3"),
    _finding("pdd", Category.REFUND_WAITING, "A4"),
    _finding("pdd", Category.OVERDUE_SHIPMENT, "A5"),  # not a return: never compared
]


def test_a_return_with_a_return_remark_is_silent_and_the_others_are_findings() -> None:
    check = _check([
        _result("pdd", findings=REFUNDS),
        _erp(_remark("A1", "买家退货退款，已拦截 申通"), _remark("A2", "售后：仅退款"), _remark("A3", ""),
             _remark("A4", "加急发货")),
    ], "return_remark")
    assert check.status is CheckStatus.CHECKED
    assert check.compared == ["hupun", "pdd"] and check.checked == 4
    found = {f.order_no: f for f in check.findings}
    assert set(found) == {"A3", "A4"}
    assert all(f.category is Category.RETURN_WITHOUT_REMARK and f.check == "return_remark" for f in found.values())
    assert "备注为空" in found["A3"].detail and "PDD × 万里牛" in found["A3"].detail
    assert "未提及退货" in found["A4"].detail and "加急发货" in found["A4"].detail


def test_a_return_the_erp_does_not_know_is_a_finding() -> None:
    check = _check([_result("pdd", findings=REFUNDS[:1]), _erp()], "return_remark")
    (finding,) = check.findings
    assert finding.order_no == "A1" and "找不到该订单" in finding.detail and finding.item == "布洛芬"


def test_a_failed_erp_means_could_not_check_never_ok() -> None:
    for status in (FlowStatus.FAILED, FlowStatus.NEEDS_LOGIN, FlowStatus.PARTIAL):
        check = _check([_result("pdd", findings=REFUNDS), _erp(status=status)], "return_remark")
        assert check.status is CheckStatus.NOT_CHECKED, status
        assert check.findings == [] and check.compared == [] and "hupun" in check.unchecked


def test_without_an_erp_in_the_run_every_check_says_so() -> None:
    run = RunResult(run_id="t", now=FIXED_NOW, started_at=FIXED_NOW, finished_at=FIXED_NOW,
                    platforms=[_result("pdd", findings=REFUNDS)])
    checks = with_cross_checks(run).checks
    assert {c.name for c in checks} == {"return_remark", "wms_allocation", "cod_carrier"}
    assert all(c.status is CheckStatus.NOT_CHECKED and c.unchecked == {"erp": "未启用"} for c in checks)


def test_a_failed_marketplace_is_named_and_the_others_are_still_compared() -> None:
    check = _check([
        _result("pdd", findings=REFUNDS[:1]),
        _result("suning", status=FlowStatus.FAILED),
        _erp(_remark("A1", "")),
    ], "return_remark")
    assert check.status is CheckStatus.PARTIAL
    assert check.unchecked == {"suning": "检查失败"}
    assert [f.order_no for f in check.findings] == ["A1"]


def _awaiting(platform: str, order_no: str, **fields: str) -> OrderFact:
    return _fact(platform, FactKind.AWAITING_SHIPMENT, order_no, **fields)


def _wms(order_no: str, state: str, source: str = "pdd") -> OrderFact:
    return _fact("hupun", FactKind.ERP_ORDER, order_no, source=source, wms_state=state)


def test_wms_allocation_matches_missing_and_already_reported() -> None:
    unallocated = _finding("hupun", Category.UNALLOCATED, "B3", status_text="锁库失败·库存不足")
    check = _check([
        _result("pdd", facts=[_awaiting("pdd", "B1"), _awaiting("pdd", "B2"), _awaiting("pdd", "B3"),
                              _awaiting("pdd", "B4")]),
        _erp(_wms("B1", "待拣货"), _wms("B3", "锁库失败·库存不足"), _remark("B4", "加急"),
             findings=[unallocated]),
    ], "wms_allocation")
    assert check.status is CheckStatus.CHECKED and check.checked == 4
    found = {f.order_no: f.detail for f in check.findings}
    assert set(found) == {"B2", "B4"}  # B1 allocated: silent; B3 already the ERP flow's finding
    assert "没有该订单" in found["B2"] and "分配记录" in found["B4"]
    assert check.listed_elsewhere == 1


def test_a_flow_finding_of_the_same_kind_is_not_repeated() -> None:
    own = _finding("yaofangwang", Category.UNALLOCATED, "C1")
    check = _check([
        _result("yaofangwang", findings=[own], facts=[_awaiting("yaofangwang", "C1")]),
        _erp(),
    ], "wms_allocation")
    assert check.findings == [] and check.listed_elsewhere == 1


def test_cod_orders_must_ship_with_zto() -> None:
    check = _check([
        _result("suning", facts=[_awaiting("suning", "D1", cod="true"), _awaiting("suning", "D2", cod="true"),
                                 _awaiting("suning", "D3", cod="false"), _awaiting("suning", "D4", cod="true"),
                                 _awaiting("suning", "D5")]),
        _erp(_fact("hupun", FactKind.ERP_ORDER, "D1", source="suning", carrier="中通快递"),
             _fact("hupun", FactKind.ERP_ORDER, "D2", source="suning", carrier="申通快递"),
             _fact("hupun", FactKind.ERP_ORDER, "D3", source="suning", carrier="顺丰速运"),
             _fact("hupun", FactKind.ERP_ORDER, "D4", source="suning", carrier=""),
             _fact("hupun", FactKind.ERP_ORDER, "D5", source="suning", carrier="韵达快递", cod="true")),
    ], "cod_carrier")
    found = {f.order_no: f.detail for f in check.findings}
    # D1 is ZTO, D3 is not COD, D4 has no carrier yet; D5 is COD by the ERP's own word
    assert set(found) == {"D2", "D5"}
    assert "申通快递" in found["D2"] and "中通" in found["D2"]
    assert check.checked == 4


def test_cross_check_findings_join_the_run_findings() -> None:
    run = RunResult(run_id="t", now=FIXED_NOW, started_at=FIXED_NOW, finished_at=FIXED_NOW,
                    platforms=[_result("pdd", findings=REFUNDS[:1]), _erp(_remark("A1", ""))])
    checked = with_cross_checks(run)
    assert [f.category for f in checked.findings] == [Category.REFUND_WAITING, Category.RETURN_WITHOUT_REMARK]
    again = with_cross_checks(checked)  # recomputing is idempotent (e.g. re-rendering a saved run)
    assert again.checks == checked.checks


def test_the_erp_is_matched_by_marketplace_and_order_number() -> None:
    check = _check([
        _result("pdd", findings=[_finding("pdd", Category.REFUND_WAITING, "E1"),
                                 _finding("pdd", Category.REFUND_WAITING, "E2")]),
        _erp(_remark("E1", "退货已拦截", source="suning"),  # same number, another marketplace
             _remark("E2", "退货已拦截", source="")),  # shop the ERP flow could not map: number decides
    ], "return_remark")
    assert [(f.order_no, "找不到该订单" in f.detail) for f in check.findings] == [("E1", True)]
