"""The Suning flow against its replica (mpassport + masc + moms), in real headless Chromium."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from pydantic import SecretStr

from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LayoutChanged, LoginChallenge, LoginRejected, SessionExpired, SiteUnavailable
from sweeper.flow import Credentials, FlowContext, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from tests.helpers import FIXED_NOW, flow, flow_context, sweep_one

DEMO = Credentials(username=DEMO_USERNAME, password=SecretStr(DEMO_PASSWORD))
SUNING = flow("suning")

# Exact records for every list (the replica's field names); times are Asia/Shanghai wall clock.
RECORDS: dict[str, list[dict[str, Any]]] = {
    "to_ship": [
        {"orderNo": "30000000101", "promiseTime": "2026-11-26 07:00:00", "amount": "25.80"},
        {"orderNo": "30000000102", "promiseTime": "2026-11-26 15:00:00", "buyerMemo": "请尽快发货"},
        {"orderNo": "30000000103", "promiseTime": "2026-11-28 09:00:00"},
        {"orderNo": "30000000104", "promiseTime": "明天下午", "amount": "十二元",
         "buyerMemo": "<script>alert(1)</script>快点"},
    ],
    "unpaid": [
        {"orderNo": "30000000201", "rx": True},
        {"orderNo": "30000000202", "rx": False},
    ],
    "aftersale_review": [
        {"serviceNo": "800000000301", "orderNo": "30000000301", "deadline": "2026-11-26 14:20:00", "refundAmount": "15.80"},
        {"serviceNo": "800000000302", "orderNo": "30000000302", "deadline": "2026-11-29 09:20:00"},
        {"serviceNo": "800000000303", "orderNo": "30000000303", "remaining": "很快"},
    ],
    "aftersale_receive": [
        {"serviceNo": "800000000401", "orderNo": "30000000401", "status": "待买家退货", "deadline": None},
        {"serviceNo": "800000000402", "orderNo": "30000000402", "status": "买家已退货，待商家收货", "deadline": "2026-11-27 15:20:00"},
    ],
    "complaints": [{"complaintNo": "TS2611260000501", "deadline": "2026-11-27 10:00:00"}],
    "prescriptions": [{"rxNo": "CF2611260000601"}],
}
EXPECTED = {
    Category.OVERDUE_SHIPMENT: {"30000000101"},
    Category.SHIPMENT_DUE_SOON: {"30000000102"},
    Category.AWAITING_SHIPMENT: {"30000000104"},
    Category.RX_AWAITING_PAYMENT: {"30000000201"},
    Category.AFTERSALE_DUE_SOON: {"30000000301"},
    Category.REFUND_WAITING: {"30000000302", "30000000303", "30000000402"},
    Category.COMPLAINT: {"TS2611260000501"},
    Category.PRESCRIPTION_REVIEW: {"CF2611260000601"},
}


@contextmanager
def suning(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {"suning": platform}})
    with serve_replicas(scenario, ["suning"]) as running:
        yield running


def context_for(page: Page, running: RunningReplicas) -> FlowContext:
    return flow_context(page, "suning", running.base_url("suning"))


def replica(running: RunningReplicas, path: str, host: str = "moms", **json: Any) -> Any:
    url = running.host_url("suning", host) + path
    answer = httpx.post(url, json=json) if json or path.endswith(("expire", "faults")) else httpx.get(url)
    return answer.json()


async def sweep(running: RunningReplicas, tmp_path: Path, name: str) -> FlowResult:
    return await sweep_one(running, "suning", tmp_path, name)


def asked() -> tuple[HumanWait, list[str], asyncio.Event]:
    told: list[str] = []
    event = asyncio.Event()
    return HumanWait(timeout_s=30, tell=lambda msg: (told.append(msg), event.set())), told, event


# -- login -----------------------------------------------------------------------------------


async def test_headless_password_login_ends_on_home_with_the_notice_closed(page: Page) -> None:
    with suning() as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        assert page.url == running.base_url("suning") + "/moms/index.action"
        assert await ctx.sel("home", "logged_in").is_visible()
        assert not await ctx.sel("home", "announcement").is_visible()
        assert "sopSecureToken" in {c["name"] for c in await page.context.cookies()}
        assert replica(running, "/__replica__/state")["logins"] == 1
        await SUNING.open(ctx)  # the session is good: no redirect to mpassport


async def test_slider_challenge_needs_a_human_when_headless(page: Page) -> None:
    with suning(faults=["challenge_on_login"]) as running, pytest.raises(LoginChallenge, match="滑块"):
        await SUNING.login(context_for(page, running), DEMO, None)


async def test_slider_challenge_is_passed_by_the_human_dragging_the_knob(page: Page) -> None:
    with suning(faults=["challenge_on_login"]) as running:
        ctx = context_for(page, running)
        human, told, event = asked()

        async def drag_and_log_in() -> None:
            await event.wait()
            knob = ctx.sel("login", "slider_knob")
            box, track = await knob.bounding_box(), await ctx.sel("login", "slider").bounding_box()
            assert box is not None and track is not None
            y = box["y"] + box["height"] / 2
            await page.mouse.move(box["x"] + box["width"] / 2, y)
            await page.mouse.down()
            for step in range(1, 13):
                await page.mouse.move(box["x"] + track["width"] * step / 10, y)
            await page.mouse.up()
            await page.get_by_text("验证通过").wait_for()
            await ctx.sel("login", "submit").click()

        await asyncio.gather(SUNING.login(ctx, DEMO, human), drag_and_log_in())
        assert told and "滑块" in told[0]
        assert page.url.endswith("/moms/index.action")


async def test_sms_step_on_an_unknown_device_is_done_by_the_human(page: Page) -> None:
    with suning(known_device=False) as running:
        ctx = context_for(page, running)
        human, told, event = asked()

        async def type_the_code() -> None:
            await event.wait()
            await ctx.sel("sms", "get_code").click()
            await page.get_by_text("秒后重新获取").wait_for()  # the code has been sent
            outbox = replica(running, "/__replica__/sms", host="masc")["messages"]
            await ctx.sel("sms", "code").fill(outbox[-1]["code"])
            await ctx.sel("sms", "confirm").click()

        await asyncio.gather(SUNING.login(ctx, DEMO, human), type_the_code())
        assert "短信验证码" in told[0]
        assert page.url.endswith("/moms/index.action")


async def test_sms_step_headless_is_a_login_challenge(page: Page) -> None:
    with suning(known_device=False) as running, pytest.raises(LoginChallenge, match="短信"):
        await SUNING.login(context_for(page, running), DEMO, None)


@pytest.mark.parametrize(
    ("platform", "password", "message"),
    [({}, "not-it", "用户名或密码错误"), ({"faults": ["account_locked"]}, DEMO_PASSWORD, "账户已被锁定")],
)
async def test_wrong_password_and_locked_account_are_rejected(
    page: Page, platform: dict[str, Any], password: str, message: str
) -> None:
    with suning(**platform) as running:
        creds = Credentials(username=DEMO_USERNAME, password=SecretStr(password))
        with pytest.raises(LoginRejected, match=message):
            await SUNING.login(context_for(page, running), creds, None)


async def test_a_renamed_login_button_is_a_layout_change(page: Page) -> None:
    drift = {"markup_drift": {"what": "login_button"}}
    with suning(faults=["markup_drift"], fault_args=drift) as running, pytest.raises(
        LayoutChanged, match=r"login\.submit"
    ):
        await SUNING.login(context_for(page, running), DEMO, None)


async def test_an_expired_session_sends_open_to_login(page: Page) -> None:
    with suning() as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        assert replica(running, "/__replica__/expire") == {"expired": 1}
        with pytest.raises(SessionExpired):
            await SUNING.open(ctx)
        assert "/ids/login?service=" in page.url


# -- collecting ------------------------------------------------------------------------------


async def test_every_category_under_the_fixed_clock(page: Page) -> None:
    with suning(replace=RECORDS) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        await SUNING.collect(ctx)
    found = {f.order_no: f for f in ctx.sink.findings}
    assert {c: {f.order_no for f in ctx.sink.findings if f.category is c} for c in EXPECTED} == EXPECTED
    assert len(ctx.sink.findings) == sum(len(v) for v in EXPECTED.values())  # one finding per case
    overdue = found["30000000101"]
    assert overdue.deadline_at == FIXED_NOW.replace(hour=7, minute=0)
    assert overdue.amount_yuan == Decimal("25.80")
    assert overdue.link.endswith("/moms/delivery/toDeliveryGoods.action?pagetype=1&b2corderNos=30000000101")
    assert overdue.customer.count("*") >= 2 and overdue.status_text == "待发货"
    assert found["30000000102"].buyer_memo == "请尽快发货"
    due = found["30000000301"].deadline_at
    assert due is not None and abs(due - (FIXED_NOW + timedelta(hours=5))) <= timedelta(minutes=2)
    assert found["30000000301"].amount_yuan == Decimal("15.80")
    assert found["30000000301"].link.endswith("afterSaleDetail.action?serviceNo=800000000301")
    assert found["TS2611260000501"].deadline_at == FIXED_NOW.replace(day=27, hour=10, minute=0)
    assert found["CF2611260000601"].link.endswith("/moms/prescription/detail.action?rxNo=CF2611260000601")
    tallies = {t.name: (t.rows_read, t.expected, t.complete) for t in ctx.sink.lists.values()}
    assert tallies == {
        "to_ship": (4, 4, True), "unpaid": (2, 2, True), "aftersale_review": (3, 3, True),
        "aftersale_receive": (2, 2, True), "complaints": (1, 1, True), "prescriptions": (1, 1, True),
    }


async def test_a_malformed_row_is_kept_and_flagged(page: Page) -> None:
    with suning(replace=RECORDS) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        await SUNING.collect(ctx)
    bad = next(f for f in ctx.sink.findings if f.order_no == "30000000104")
    assert bad.category is Category.AWAITING_SHIPMENT
    assert bad.deadline_at is None and bad.raw["deadline_at"] == "明天下午"
    assert bad.amount_yuan is None and bad.raw["amount_yuan"] == "十二元"
    assert len(bad.problems) == 2
    assert bad.buyer_memo == "<script>alert(1)</script>快点"  # as text; escaping is the report's job
    odd = next(f for f in ctx.sink.findings if f.order_no == "30000000303")
    assert odd.category is Category.REFUND_WAITING and odd.raw["deadline_at"] == "很快"


# The defaults (side by side, later pages fetched unrendered), and one list at a time with every
# page opened by a real click on 下一页.
@pytest.mark.parametrize(("tabs", "fast"), [(3, True), (1, False)])
async def test_paging_reads_every_page_at_the_largest_page_size(page: Page, tabs: int, fast: bool) -> None:
    with suning(items=130) as running:
        ctx = context_for(page, running)
        options = dataclasses.replace(
            ctx.options, lists_in_parallel=tabs, fast_page_turns=fast, fetch_list_pages=fast)
        ctx = dataclasses.replace(ctx, options=options)
        await SUNING.login(ctx, DEMO, None)
        await SUNING.collect(ctx)
        served = replica(running, "/__replica__/state")["pages_served"]
    for name in ("to_ship", "unpaid", "aftersale_review", "aftersale_receive", "complaints", "prescriptions"):
        tally = ctx.sink.lists[name]
        assert (tally.rows_read, tally.expected, tally.pages, tally.complete) == (130, 130, 2, True), name
        assert served[f"{name}:2"] == 1 and f"{name}:3" not in served  # 100 rows a page, not 20
    numbers = [f.order_no for f in ctx.sink.findings if f.category is Category.PRESCRIPTION_REVIEW]
    assert len(numbers) == len(set(numbers)) == 130


async def test_a_session_dying_between_pages_is_session_expired(page: Page) -> None:
    args = {"session_expired": {"after_requests": 2}}
    with suning(items=150, faults=["session_expired"], fault_args=args) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        with pytest.raises(SessionExpired):
            await SUNING.collect(ctx)
    assert not ctx.sink.lists["to_ship"].complete


@pytest.mark.parametrize(
    ("fault", "args", "error", "message"),
    [
        ("busy_page", {"list": "complaints"}, SiteUnavailable, "系统繁忙"),
        ("page_500", {"list": "unpaid", "page": 1}, SiteUnavailable, "HTTP 500"),
        ("markup_drift", {"what": "order_num"}, LayoutChanged, r"order_cells\.order_no"),
        ("markup_drift", {"what": "tabdiv"}, LayoutChanged, r"orders\.container"),
    ],
)
async def test_error_pages_and_drift_raise_what_the_runner_needs(
    page: Page, fault: str, args: dict[str, Any], error: type[Exception], message: str
) -> None:
    with suning(faults=[fault], fault_args={fault: args}) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        with pytest.raises(error, match=message):
            await SUNING.collect(ctx)


async def test_a_later_page_that_is_not_the_list_is_opened_for_real_and_shown(page: Page) -> None:
    """Pages after the first are fetched unrendered; one that is not the list is opened on screen,
    where the flow's checks tell what it is and the evidence shows it."""
    with suning(items=150, faults=["busy_page"], fault_args={"busy_page": {"list": "to_ship", "page": 2}}) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        with pytest.raises(SiteUnavailable, match="系统繁忙"):
            await SUNING.collect(ctx)
        # A fetched page never reaches the screen: this one was opened.
        await expect(page.get_by_text("系统繁忙").first).to_be_visible()


async def test_a_page_that_never_answers_times_out_as_site_unavailable(page: Page) -> None:
    args = {"timeout_page": {"list": "to_ship", "page": 2, "hold_s": 10}}
    with suning(items=150, faults=["timeout_page"], fault_args=args) as running:
        ctx = context_for(page, running)
        await SUNING.login(ctx, DEMO, None)
        page.set_default_timeout(1500)
        with pytest.raises(SiteUnavailable, match="timed out loading page 2"):
            await SUNING.collect(ctx)
        await page.close()  # drops the held connection so the replica can stop


# -- whole sweeps ----------------------------------------------------------------------------


@pytest.mark.slow
async def test_saved_session_is_reused_then_expiry_behind_a_slider_is_needs_login(tmp_path: Path) -> None:
    with suning(replace=RECORDS) as running:
        first = await sweep(running, tmp_path, "first")
        assert first.status is FlowStatus.OK, first.reason
        second = await sweep(running, tmp_path, "second")
        assert second.status is FlowStatus.OK, second.reason
        assert replica(running, "/__replica__/state")["logins"] == 1, "the saved session was reused"
        assert {f.order_no for f in second.findings} == set().union(*EXPECTED.values())
        replica(running, "/__replica__/expire")
        replica(running, "/__replica__/faults", faults=["challenge_on_login"])
        third = await sweep(running, tmp_path, "third")
    assert third.status is FlowStatus.NEEDS_LOGIN
    assert "滑块" in third.reason and third.fix_command == "sweeper login suning --account default"
    assert third.findings == []


@pytest.mark.slow
async def test_a_counter_that_disagrees_makes_the_sweep_partial_with_the_numbers(tmp_path: Path) -> None:
    args = {"count_drift": {"list": "to_ship", "delta": 2}}
    with suning(replace=RECORDS, faults=["count_drift"], fault_args=args) as running:
        result = await sweep(running, tmp_path, "run")
    assert result.status is FlowStatus.PARTIAL
    assert result.reason == "to_ship: read 4 rows, the platform says 6 (tab counter '未发货：6')"
    assert result.findings, "what was read is still reported"


@pytest.mark.slow
async def test_an_error_page_mid_sweep_is_partial_with_the_reason(tmp_path: Path) -> None:
    args = {"page_500": {"list": "complaints", "page": 1}}
    with suning(replace=RECORDS, faults=["page_500"], fault_args=args) as running:
        result = await sweep(running, tmp_path, "run")
    assert result.status is FlowStatus.PARTIAL
    assert "HTTP 500" in result.reason and "complaint" in result.reason
    assert {t.name for t in result.lists if t.complete} >= {"to_ship", "unpaid", "aftersale_review"}


@pytest.mark.slow
async def test_empty_lists_are_ok_with_zero_findings(tmp_path: Path) -> None:
    with suning(faults=["empty_lists"]) as running:
        result = await sweep(running, tmp_path, "run")
    assert result.status is FlowStatus.OK, result.reason
    assert result.findings == []
    assert len(result.lists) == 6
    assert all(t.complete and t.rows_read == 0 and t.expected == 0 for t in result.lists)
