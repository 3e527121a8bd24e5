"""The 万里牛 flow in headless Chromium against its replica: the erp shell, the biz iframe, the WMS job."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, Response, expect

from flows.hupun import FLOW
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.demo import sweep_replicas
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, FlowOptions, HumanWait
from sweeper.models import Category, FactKind, FlowResult, FlowStatus
from sweeper.rules import tally_problems
from tests.helpers import FIXED_NOW, SHANGHAI, flow_context, sweep_one

CREDS = Credentials(username=DEMO_USERNAME, password=DEMO_PASSWORD)
NO_JOB_WAIT = {"job": {"delay_s": 0}}
PDD = ("拼多多", "上元堂大药房拼多多店")
TCM = {"itemName": "当归片", "skuName": "10g*1袋", "size": "2", "category": "中药饮片"}
PLAIN = {"itemName": "蒙脱石散", "skuName": "3g*10袋", "size": "1", "category": "西药"}


ALLOCATED = {"state": "已分配"}


def _order(trade_no: str, tid: str, *, where: tuple[str, str] = PDD, wms: dict[str, Any] | None = ALLOCATED,
           **fields: Any) -> dict[str, Any]:
    return {"tradeNo": trade_no, "uid": trade_no[-6:], "tid": tid, "platform": where[0], "shopNick": where[1],
            "created": "2026-11-26 08:00:01", "items": [PLAIN], "wms": wms, **fields}


SHIPPED = {"status": "已发货", "wms": {"state": "已出库", "waveNo": "BC2611250001"}}
# One order per case; the others are controls that must yield no finding.
ORDERS = [
    _order("XS01", "261126-000000000000001", tradeType="补发"),
    _order("XS02", "261126-000000000000002", tradeType="补发", sellerMemo="拼多多 261120-000000000000009 补发 蒙脱石散"),
    _order("XS03", "82611260000003", where=("平安健康", "上元堂平安健康旗舰店"), buyerMessage="<script>alert(1)</script>",
           payment="35.60", receiverName="测试甲", receiverMobile="138****0001"),
    _order("XS04", "30000000004", where=("苏宁易购", "上元堂苏宁自营药房"), buyerMessage="请尽快发货",
           sellerMemo="已按买家留言处理"),
    _order("XS05", "2611260005000001", where=("药房网", "上元堂大药房（药房网）"), items=[TCM, PLAIN], payment="34.50"),
    _order("XS06", "261126-000000000000006", items=[TCM], **SHIPPED),
    _order("XS07", "261126-000000000000007", tradeType="补发", **SHIPPED),
    _order("XS08", "GW26112608000008", where=("官网", "上元堂官网商城"),
           wms={"state": "待分配", "reason": "等待波次策略自动生成波次（最长等待60分钟）"}),
    _order("XS09", "261126-000000000000009", wms={"state": "锁库失败", "reason": "库存不足：三七粉 可用 0，需 2"}),
    _order("XS10", "261126-000000000000010", wms={"state": "挂起", "reason": "ERP订单申请退款，自动挂起"}),
    _order("XS11", "261126-000000000000011", wms={"state": "缺货", "reason": "拣货报缺：当归片 库位 A-01-02 实物不足"}),
    _order("XS12", "261126-000000000000012", wms={"state": "待拣货", "waveNo": "BC2611260001"}),
    _order("XS13", "6900000000000000013", where=("抖音", "上元堂抖音小店"), buyerMessage="不要放快递柜"),
    _order("XS14", "261126-000000000000014", created="昨天下午", payment="12,5x",
           items=[{"itemName": "茯苓配方颗粒", "skuName": "10g*1袋", "size": "1", "category": "配方颗粒"}]),
    _order("XS15", "GW26112608000015", where=("官网", "上元堂官网商城"), payType="货到付款", express="申通快递"),
    _order("XS16", "261126-000000000000161,261126-000000000000162", wms={"state": "待分配"}),
    _order("XS17", "261126-000000000000017", status="订单审核", wms=None),
    _order("XS18", "261126-000000000000018", items="<无法解析的明细>"),
]
EXPECTED = {
    (Category.REMARK_MISSING, "261126-000000000000001"),
    (Category.REMARK_MISSING, "82611260000003"),
    (Category.TCM_SPEC_CHECK, "2611260005000001"),
    (Category.UNALLOCATED, "GW26112608000008"),
    (Category.UNALLOCATED, "261126-000000000000009"),
    (Category.UNALLOCATED, "261126-000000000000010"),
    (Category.UNALLOCATED, "261126-000000000000011"),
    (Category.REMARK_MISSING, "6900000000000000013"),
    (Category.TCM_SPEC_CHECK, "261126-000000000000014"),
    (Category.UNALLOCATED, "261126-000000000000161"),
    (Category.TCM_SPEC_CHECK, "261126-000000000000018"),
}


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    platform.setdefault("fault_args", {}).setdefault("job", NO_JOB_WAIT["job"])
    scenario = Scenario(clock=FIXED_NOW, platforms={"hupun": PlatformScenario(**platform)})
    with serve_replicas(scenario, ["hupun"]) as running:
        yield running


def state(running: RunningReplicas) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(running.base_url("hupun") + "/__replica__/state").json()
    return answer


def context(page: Page, running: RunningReplicas, **options: Any) -> FlowContext:
    ctx = flow_context(page, "hupun", running.base_url("hupun"), FIXED_NOW)
    return dataclasses.replace(ctx, options=FlowOptions(**options)) if options else ctx


async def logged_in(page: Page, running: RunningReplicas, **options: Any) -> FlowContext:
    ctx = context(page, running, **options)
    await FLOW.login(ctx, CREDS, None)
    return ctx


async def collected(page: Page, running: RunningReplicas, **options: Any) -> FlowContext:
    ctx = await logged_in(page, running, **options)
    await FLOW.collect(ctx)
    return ctx


# -- login -----------------------------------------------------------------------------------------


async def test_account_login_closes_the_ad_and_the_session_is_reused(page: Page) -> None:
    homes: list[Response] = []
    page.on("response", lambda r: homes.append(r) if r.url.endswith("/frame/home") else None)
    with replica() as running:
        ctx = await logged_in(page, running)
        assert page.url == running.base_url("hupun") + "/frame/home"
        assert '<div class="ad-dialog-wrap">' in await homes[-1].text()  # the page came with the ad
        assert await page.locator(".ad-dialog-wrap").count() == 0  # the flow closed it
        async with page.expect_response(lambda r: "/o/home/counts.d" in r.url):
            await page.locator(".panel-head i").click(timeout=2_000)  # nothing blocks a click any more
        assert {c["name"] for c in await page.context.cookies()} == {"JSESSIONID"}
        await FLOW.open(ctx)
        await FLOW.login(ctx, CREDS, None)  # /login sends a live session home: no second login
        assert state(running)["logins"] == 1


async def test_a_slider_without_a_person_is_a_login_challenge(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        with pytest.raises(LoginChallenge, match="滑块"):
            await logged_in(page, running)
        assert state(running)["logins"] == 0


async def test_a_slider_with_a_person_waits_until_they_dragged_it(page: Page) -> None:
    with replica(faults=["challenge_on_login"]) as running:
        ctx = context(page, running)
        asked = asyncio.Event()
        human = HumanWait(timeout_s=30, tell=lambda _text: asked.set())
        login = asyncio.create_task(FLOW.login(ctx, CREDS, human))
        await asyncio.wait_for(asked.wait(), 20)
        assert not login.done()
        # The test plays the person: drag the knob to the end of its track.
        knob, track = page.locator(".slide-verify-slider-mask-item"), page.locator(".slide-verify-slider")
        start, end = await knob.bounding_box(), await track.bounding_box()
        assert start is not None and end is not None
        await page.mouse.move(start["x"] + 5, start["y"] + 5)
        await page.mouse.down()
        await page.mouse.move(end["x"] + end["width"], start["y"] + 5, steps=5)
        await page.mouse.up()
        await asyncio.wait_for(login, 30)
        assert page.url.endswith("/frame/home") and state(running)["logins"] == 1


@pytest.mark.parametrize(
    ("platform", "password", "message"),
    [({}, "wrong-password", "账号或密码错误"), ({"faults": ["account_locked"]}, DEMO_PASSWORD, "已锁定")],
)
async def test_wrong_password_and_locked_account_are_rejected(
    page: Page, platform: dict[str, Any], password: str, message: str
) -> None:
    with replica(**platform) as running, pytest.raises(LoginRejected, match=message):
        await FLOW.login(context(page, running), Credentials(username=DEMO_USERNAME, password=password), None)


# -- collecting ------------------------------------------------------------------------------------


async def test_every_finding_on_the_fixed_clock(page: Page) -> None:
    with replica(replace={"orders": ORDERS}) as running:
        ctx = await collected(page, running)
        base = running.base_url("hupun")
    found = {(f.category, f.order_no): f for f in ctx.sink.findings}
    assert set(found) == EXPECTED and len(ctx.sink.findings) == len(EXPECTED)
    reship = found[(Category.REMARK_MISSING, "261126-000000000000001")]
    assert reship.detail == "拼多多·上元堂大药房拼多多店 系统单号 XS01：补发订单未填写卖家备注"
    assert reship.created_at == datetime(2026, 11, 26, 8, 0, 1, tzinfo=SHANGHAI)
    assert reship.deadline_at == datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)  # placed before 17:00
    assert reship.link == base + "/frame/1103?tradeNo=XS01" and not reship.problems
    memo = found[(Category.REMARK_MISSING, "82611260000003")]
    assert memo.buyer_memo == "<script>alert(1)</script>" and "买家留言「<script>alert(1)</script>」未备注" in memo.detail
    assert memo.amount_yuan == Decimal("35.60") and memo.customer.startswith("测试甲 138****0001")
    tcm = found[(Category.TCM_SPEC_CHECK, "2611260005000001")]
    assert tcm.item == "当归片 10g*1袋 ×2（中药饮片）" and tcm.status_text == "打单配货"
    assert tcm.detail.startswith("药房网·上元堂大药房（药房网） 系统单号 XS05：中药规格待核对：当归片 10g*1袋 ×2")
    held = found[(Category.UNALLOCATED, "261126-000000000000010")]
    assert held.status_text == "挂起" and held.detail.endswith("：挂起：ERP订单申请退款，自动挂起")
    assert held.detail.startswith("拼多多·") and held.item == "蒙脱石散 3g*10袋 ×1"
    assert found[(Category.UNALLOCATED, "GW26112608000008")].detail.startswith("官网·上元堂官网商城 系统单号 XS08：待分配")
    lists = ctx.sink.lists
    assert {n: (t.rows_read, t.expected, t.complete) for n, t in lists.items()} == {
        "remarks": (18, 18, True), "remarks_wait_audit": (1, 1, True),
        "wms_orders": (17, 17, True), "wms_exceptions": (3, 3, True),
    }


async def test_facts_of_both_views_come_from_the_biz_origin_inside_the_erp_shell(page: Page) -> None:
    seen: list[Response] = []
    page.on("response", lambda r: seen.append(r) if "/list" in r.url else None)
    with replica(replace={"orders": ORDERS}) as running:
        erp, biz = running.host_url("hupun", "erp"), running.host_url("hupun", "biz")
        ctx = await collected(page, running, lists_in_parallel=1)  # both views on this page
        cookies = {c["name"] for c in await page.context.cookies()}
    # The rows crossed origins: the shell is on erp, the JSON came to its iframe from biz.
    assert page.url == erp + "/frame/331" and [f.url for f in page.frames[1:]] == [
        biz + "/calf-biz/wms/order.html#/allocation"]
    lists = [r for r in seen if "/calf-biz/api/" in r.url and "task" not in r.url]
    assert len(lists) == 4 and all(r.url.startswith(biz) and r.frame.parent_frame is page.main_frame for r in lists)
    # each page's own first query, then the flow's at the largest page size offered
    assert [r.request.post_data_json["limit"] for r in lists] == [100, 1000, 100, 1000]
    assert cookies == {"JSESSIONID", "CALFSESSIONID"}  # one per host, the second set by the SSO hop
    facts = ctx.sink.facts
    assert all(f.kind is FactKind.ERP_ORDER and f.platform == "hupun" for f in facts)
    remark = {f.order_no: f for f in facts if "remark" in f.fields}
    wms = {f.order_no: f for f in facts if "wms_state" in f.fields}
    assert len(remark) == 19 and len(wms) == 18  # one per online order number (XS16 holds two)
    assert {remark[n].source for n in ("261126-000000000000001", "82611260000003", "30000000004",
                                       "2611260005000001", "GW26112608000008", "6900000000000000013")} == {
        "pdd", "pingan", "suning", "yaofangwang", "admin", ""}
    cod = remark["GW26112608000015"].fields
    assert (cod["cod"], cod["carrier"], cod["shop"], cod["erp_no"]) == ("true", "申通快递", "上元堂官网商城", "XS15")
    assert remark["261126-000000000000002"].fields["remark"] == "拼多多 261120-000000000000009 补发 蒙脱石散"
    assert remark["261126-000000000000002"].fields["order_type"] == "补发"
    assert remark["6900000000000000013"].fields["platform"] == "抖音"
    assert remark["261126-000000000000001"].fields["cod"] == "false"
    assert wms["261126-000000000000009"].fields["wms_state"] == "锁库失败"
    assert wms["261126-000000000000009"].fields["wms_reason"] == "库存不足：三七粉 可用 0，需 2"
    assert wms["261126-000000000000161"].fields["erp_no"] == wms["261126-000000000000162"].fields["erp_no"] == "XS16"
    assert "261126-000000000000017" not in wms  # 订单审核: not in the WMS, the cross-check notices


async def test_a_malformed_row_is_kept_and_flagged(page: Page) -> None:
    with replica(replace={"orders": ORDERS}) as running:
        ctx = await collected(page, running)
    odd = next(f for f in ctx.sink.findings if f.order_no == "261126-000000000000014")
    assert odd.category is Category.TCM_SPEC_CHECK and odd.item == "茯苓配方颗粒 10g*1袋 ×1（配方颗粒）"
    assert odd.created_at is None and odd.deadline_at is None and odd.amount_yuan is None
    assert odd.raw == {"created_at": "昨天下午", "amount_yuan": "12,5x"}
    assert [p.split(":")[0] for p in odd.problems] == ["created_at", "amount_yuan"]
    unreadable = next(f for f in ctx.sink.findings if f.order_no == "261126-000000000000018")
    assert unreadable.category is Category.TCM_SPEC_CHECK and unreadable.item == ""
    assert unreadable.detail.endswith("商品明细无法读取，无法判断是否含中药")
    assert unreadable.problems == ["items: not a list: '<无法解析的明细>'"]
    assert unreadable.raw == {"items": "<无法解析的明细>"}


async def test_every_list_is_read_to_its_end_over_several_pages(page: Page) -> None:
    with replica(items=30) as running:
        ctx = await logged_in(page, running, page_size=50)
        before = running.request_counts["hupun"]
        await FLOW.collect(ctx)
        requests = running.request_counts["hupun"] - before
        polled = state(running)["tasks_polled"]
    lists = ctx.sink.lists
    remarks, wms = lists["remarks"], lists["wms_orders"]
    assert remarks.pages == -(-remarks.rows_read // 50) >= 4 and wms.pages == -(-wms.rows_read // 50) >= 4
    assert tally_problems(lists.values()) == []
    erp_numbers = [f.fields["erp_no"] for f in ctx.sink.facts if "remark" in f.fields]
    assert len(erp_numbers) == len(set(erp_numbers)) == remarks.rows_read
    # home refresh; per view: shell, SSO hop, page, first JSON, then one request per page (+ task polls)
    assert requests - 1 - 4 * 2 - remarks.pages - wms.pages == polled


@pytest.mark.slow
async def test_more_than_a_thousand_rows_take_two_pages_of_a_thousand(page: Page) -> None:
    with replica(items=220) as running:
        ctx = await collected(page, running)
    lists = ctx.sink.lists
    assert (lists["remarks"].pages, lists["wms_orders"].pages) == (2, 2)
    assert lists["remarks"].rows_read > 1000 and lists["wms_orders"].rows_read > 1000
    assert tally_problems(lists.values()) == []


@pytest.mark.slow
async def test_a_page_of_a_thousand_keeps_a_few_rows_in_the_dom_yet_all_are_read(page: Page) -> None:
    """vxe-table renders only the rows in view above 100 rows (its `scroll-y.gt`); the flow reads the
    page's JSON, so every row is counted although the DOM never holds the page."""
    with replica(items=60) as running:  # about 400 WMS rows: one page at the size of 1,000
        ctx = await collected(page, running, lists_in_parallel=1)  # WMS last, on this page
        grid = ctx.sel("frame", "iframe").content_frame.locator("div.table-wms-orders")
        rows = grid.locator("tr[rowid]")
        await rows.first.wait_for()
        in_dom = await rows.count()
        wms = ctx.sink.lists["wms_orders"]
        assert wms.pages == 1 and wms.rows_read > 300
        assert 0 < in_dom < 100 < wms.rows_read
        await grid.evaluate("g => { g.scrollTop = g.scrollHeight; g.dispatchEvent(new Event('scroll')); }")
        last = [f.fields["erp_no"] for f in ctx.sink.facts if "wms_state" in f.fields][-1]
        await expect(rows.last.locator("td").nth(0)).to_have_text(last)


@pytest.mark.slow
async def test_a_slow_site_is_still_read_to_the_end(page: Page) -> None:
    with replica(replace={"orders": ORDERS}, faults=["slow"], fault_args={"slow": {"ms": 400}}) as running:
        ctx = await collected(page, running)
    assert {(f.category, f.order_no) for f in ctx.sink.findings} == EXPECTED
    assert tally_problems(ctx.sink.lists.values()) == []


async def test_the_flow_waits_for_the_wave_job_and_then_reads_the_moved_orders(page: Page) -> None:
    job = _order("XS20", "261126-000000000000020", wms={"state": "待分配", "job": True})
    bodies: list[Response] = []
    page.on("response", lambda r: bodies.append(r) if "/wms/order/list" in r.url else None)
    with replica(replace={"orders": [*ORDERS, job]}, fault_args={"job": {"delay_s": 2}}) as running:
        ctx = await collected(page, running, lists_in_parallel=1)  # bodies are read from this page
        tasks = state(running)["tasks"]
    first, last = [await r.json() for r in (bodies[0], bodies[-1])]
    before = next(r for r in first["data"]["list"] if r["tradeNo"] == "XS20")
    after = next(r for r in last["data"]["list"] if r["tradeNo"] == "XS20")
    assert (before["status"], bool(before["taskNo"])) == ("待分配", True)  # the page opened on a running job
    assert (after["status"], after["taskNo"]) == ("待拣货", "")
    assert tasks[0]["taskName"] == "生成波次" and tasks[0]["status"] == "已完成"
    fact = next(f for f in ctx.sink.facts if f.order_no == "261126-000000000000020" and "wms_state" in f.fields)
    assert fact.fields["wms_state"] == "待拣货" and "wms_task" not in fact.fields
    assert {(f.category, f.order_no) for f in ctx.sink.findings} == EXPECTED


async def test_a_job_still_running_at_the_bound_keeps_its_orders_flagged(page: Page) -> None:
    job = _order("XS20", "261126-000000000000020", wms={"state": "待分配", "job": True})
    with replica(replace={"orders": [*ORDERS, job]}, faults=["job_stuck"]) as running:
        ctx = await collected(page, running, extra={"job_wait_s": 1})
    flagged = next(f for f in ctx.sink.findings if f.order_no == "261126-000000000000020")
    assert flagged.category is Category.UNALLOCATED and flagged.status_text == "待分配（系统任务处理中）"
    assert flagged.problems == ["wms_state: 系统任务 RW2611260009 等待 1 秒仍在处理中，分配结果未定"]
    fact = next(f for f in ctx.sink.facts if f.order_no == "261126-000000000000020" and "wms_state" in f.fields)
    assert fact.fields["wms_task"].startswith("RW2611260009 处理中")
    assert ctx.sink.lists["wms_orders"].complete
    assert {(f.category, f.order_no) for f in ctx.sink.findings} == EXPECTED | {
        (Category.UNALLOCATED, "261126-000000000000020")}


# -- sessions and faults ---------------------------------------------------------------------------


async def test_a_login_lost_inside_the_iframe_is_session_expired(page: Page) -> None:
    faults = {"session_expired": {"where": "biz", "after_requests": 2}}  # the page's own query, then page 1
    with replica(faults=["session_expired"], fault_args=faults) as running:
        ctx = await logged_in(page, running, page_size=50)
        with pytest.raises(SessionExpired, match="登录已失效"):
            await FLOW.collect(ctx)
        assert state(running)["erp_sessions"] == 1  # only the iframe's login was lost
    remarks = ctx.sink.lists["remarks"]
    assert (remarks.pages, remarks.rows_read, remarks.complete) == (1, 50, False)


async def test_a_login_lost_in_the_shell_is_session_expired(page: Page) -> None:
    with replica() as running:
        ctx = await logged_in(page, running)
        async with httpx.AsyncClient() as client:
            await client.post(running.base_url("hupun") + "/__replica__/expire")
        with pytest.raises(SessionExpired):
            await FLOW.open(ctx)
        assert "/login?redirect=%2Fframe%2Fhome" in page.url


@pytest.mark.parametrize(
    ("what", "missing"),
    [("pager", r"biz\.page_size"), ("task_panel", r"biz\.task_panel"),
     pytest.param("more_button", r"biz\.more\b", marks=pytest.mark.slow),
     pytest.param("remark_table", r"biz\.remark_table", marks=pytest.mark.slow)],
)
async def test_markup_drift_is_a_layout_change_naming_the_selector(page: Page, what: str, missing: str) -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(LayoutChanged, match=missing):
            await FLOW.collect(ctx)


async def test_a_drifted_ad_close_button_is_a_layout_change_at_login(page: Page) -> None:
    drift = {"markup_drift": {"what": "ad_close"}}
    with replica(faults=["markup_drift"], fault_args=drift) as running, pytest.raises(LayoutChanged, match=r"ad_close"):
        await logged_in(page, running)


@pytest.mark.parametrize(
    ("fault", "args", "message"),
    [("page_500", {"list": "remarks", "page": 1}, "HTTP 500"), ("timeout_page", {"list": "wms", "ms": 300}, "HTTP 504")],
)
async def test_server_errors_are_site_unavailable(page: Page, fault: str, args: dict[str, Any], message: str) -> None:
    with replica(faults=[fault], fault_args={fault: args}) as running:
        ctx = await logged_in(page, running)
        with pytest.raises(SiteUnavailable, match=message):
            await FLOW.collect(ctx)


# -- whole sweeps with the real runner -------------------------------------------------------------


async def test_a_login_lost_inside_the_iframe_ends_in_needs_login(tmp_path: Path) -> None:
    faults = {"session_expired": {"where": "biz", "after_requests": 0}}
    with replica(faults=["session_expired"], fault_args=faults) as running:
        result = await sweep_one(running, "hupun", tmp_path)
        assert state(running)["logins"] == 1
    assert result.status is FlowStatus.NEEDS_LOGIN and result.role == "erp"
    assert "登录已失效" in result.reason and result.fix_command == "sweeper login hupun --account default"


@pytest.mark.slow
async def test_a_total_or_a_counter_the_rows_do_not_reach_is_partial(tmp_path: Path) -> None:
    for target, reason in (("wms", "wms_orders: read 17 rows, the platform says 18"),
                           ("home", "wms_exceptions: read 3 rows, the platform says 4 (首页计数「异常」)")):
        faults = {"count_mismatch": {"list": target}}
        with replica(replace={"orders": ORDERS}, faults=["count_mismatch"], fault_args=faults) as running:
            result = await sweep_one(running, "hupun", tmp_path, target)
        assert result.status is FlowStatus.PARTIAL and reason in result.reason
        assert {(f.category, f.order_no) for f in result.findings} == EXPECTED


@pytest.mark.slow
async def test_an_error_page_in_the_wms_view_is_partial_with_the_remarks_kept(tmp_path: Path) -> None:
    faults = {"page_500": {"list": "wms", "page": 1}}
    with replica(replace={"orders": ORDERS}, faults=["page_500"], fault_args=faults) as running:
        result = await sweep_one(running, "hupun", tmp_path, retries=0)
    assert result.status is FlowStatus.PARTIAL and "HTTP 500" in result.reason
    assert {t.name: t.complete for t in result.lists} == {"remarks": True, "remarks_wait_audit": True}
    assert {f.category for f in result.findings} == {Category.REMARK_MISSING, Category.TCM_SPEC_CHECK}
    assert len([f for f in result.facts if "remark" in f.fields]) == 19


@pytest.mark.slow
async def test_sweeps_reuse_the_session_and_empty_lists_are_ok(tmp_path: Path) -> None:
    with replica(faults=["empty_lists"]) as running:
        first = await sweep_one(running, "hupun", tmp_path, "first")
        second = await sweep_one(running, "hupun", tmp_path, "second")
        assert state(running)["logins"] == 1
    for result in (first, second):
        assert result.status is FlowStatus.OK, result.reason
        assert result.findings == [] and result.facts == []
        assert all(t.complete and t.rows_read == 0 for t in result.lists)


@pytest.mark.slow
async def test_the_erp_shows_the_orders_the_own_shop_published(tmp_path: Path) -> None:
    scenario = Scenario(clock=FIXED_NOW, platforms={"hupun": PlatformScenario(fault_args=NO_JOB_WAIT)})
    with serve_replicas(scenario, ["admin", "hupun"]) as running:
        run = await sweep_replicas(running, ["admin", "hupun"], run_dir=tmp_path / "run",
                                   state_dir=tmp_path / "state", now=FIXED_NOW)
    by_key: dict[str, FlowResult] = {p.platform: p for p in run.platforms}
    assert all(p.status is FlowStatus.OK for p in run.platforms), [p.reason for p in run.platforms]
    shop = sorted({f.order_no for f in by_key["admin"].facts if f.kind is FactKind.AWAITING_SHIPMENT})
    erp = {f.order_no: f for f in by_key["hupun"].facts if f.source == "admin" and "remark" in f.fields}
    missing = set(shop) - set(erp)
    assert shop and 0 < len(missing) <= len(shop) / 10  # a few never reached the ERP
    allocation = next(c for c in run.checks if c.name == "wms_allocation")
    assert missing <= {f.order_no for f in allocation.findings} and allocation.checked == len(shop)
