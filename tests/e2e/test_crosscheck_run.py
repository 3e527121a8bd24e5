"""Cross-checks over a real sweep: marketplaces and 万里牛 replicas served together, as in the demo.

The ERP replica pulls the marketplaces' open orders and returns (replicas/common/world.py), leaving
some returns without a remark and some orders out of the WMS, so both outcomes occur."""

from __future__ import annotations

from pathlib import Path

import pytest

from replicas.common.scenario import Scenario
from replicas.common.server import serve_replicas
from sweeper.demo import sweep_replicas
from sweeper.models import Category, CheckStatus, FlowStatus, RunResult
from sweeper.output import write_run
from tests.helpers import FIXED_NOW

pytestmark = pytest.mark.slow
MARKETS = ["admin", "pdd", "suning"]


async def _sweep(tmp_path: Path, keys: list[str], platforms: dict[str, object] | None = None) -> RunResult:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": platforms or {}})
    (tmp_path / "run").mkdir()
    with serve_replicas(scenario, keys) as running:
        return await sweep_replicas(running, keys, run_dir=tmp_path / "run", state_dir=tmp_path / "state",
                                    now=FIXED_NOW, slot="0930")


async def test_each_cross_check_compares_the_systems_and_reports_only_mismatches(tmp_path: Path) -> None:
    run = await _sweep(tmp_path, [*MARKETS, "hupun"])
    assert {p.platform: p.status for p in run.platforms} == dict.fromkeys([*MARKETS, "hupun"], FlowStatus.OK)
    checks = {c.name: c for c in run.checks}
    for check in checks.values():
        assert check.status is CheckStatus.CHECKED, check.name
        assert set(check.compared) == {"hupun", *MARKETS}
    returns = {(f.platform, f.order_no) for f in run.findings
               if f.category in (Category.REFUND_WAITING, Category.AFTERSALE_DUE_SOON)}
    flagged = {(f.platform, f.order_no) for f in checks["return_remark"].findings}
    assert flagged and flagged < returns  # some returns lack a remark; the rest matched silently
    assert checks["return_remark"].checked == len(returns)
    assert all(f.check == "return_remark" and "万里牛" in f.detail for f in checks["return_remark"].findings)
    wms = checks["wms_allocation"]
    awaiting = {(p.platform, f.order_no) for p in run.platforms for f in p.facts if p.platform in MARKETS}
    assert wms.checked == len(awaiting)
    assert wms.findings and {(f.platform, f.order_no) for f in wms.findings} < awaiting
    assert wms.listed_elsewhere > 0  # unallocated orders the ERP flow itself reported
    assert checks["cod_carrier"].checked > 0
    html = write_run(tmp_path / "run", run).read_text(encoding="utf-8")
    assert "对比：万里牛" in html and "已核对" in html
    for finding in checks["return_remark"].findings:
        assert finding.order_no in html


async def test_a_failed_erp_leaves_every_cross_check_unchecked(tmp_path: Path) -> None:
    run = await _sweep(tmp_path, ["pdd", "hupun"],
                       {"hupun": {"faults": ["session_expired", "challenge_on_login"]}})
    statuses = {p.platform: p.status for p in run.platforms}
    assert statuses == {"pdd": FlowStatus.OK, "hupun": FlowStatus.NEEDS_LOGIN}
    assert [c.status for c in run.checks] == [CheckStatus.NOT_CHECKED] * 3
    assert all(c.findings == [] and "hupun" in c.unchecked for c in run.checks)
    assert not any(f.check for f in run.findings)
    html = write_run(tmp_path / "run", run).read_text(encoding="utf-8")
    assert html.count("未能核对") >= 3 and "无法核对，不代表没有问题" in html
