"""The Pinduoduo flow against its replica, in real headless Chromium, under a fixed clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page
from pydantic import SecretStr

from replicas.common.scenario import Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME
from sweeper.errors import LoginChallenge, LoginRejected
from sweeper.flow import Credentials, HumanWait
from sweeper.models import Category, FlowResult, FlowStatus
from sweeper.output import write_run
from tests.helpers import FIXED_NOW, as_run, flow, flow_context, sweep_one

NOW_S = int(FIXED_NOW.timestamp())
HOUR = 3600
DEMO = Credentials(username=DEMO_USERNAME, password=SecretStr(DEMO_PASSWORD))


@contextmanager
def pdd(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario.model_validate({"clock": FIXED_NOW, "platforms": {"pdd": platform}})
    with serve_replicas(scenario, ["pdd"]) as running:
        yield running


async def sweep(running: RunningReplicas, tmp_path: Path, name: str = "run") -> FlowResult:
    return await sweep_one(running, "pdd", tmp_path, name)


def replica_state(running: RunningReplicas) -> dict[str, Any]:
    return httpx.get(f"{running.base_url('pdd')}/__replica__/state").json()


async def drag_slider(page: Page) -> None:
    """The human's part: drag the puzzle knob to the end of its track with a real mouse."""
    knob = page.locator(".slider-knob")
    await knob.wait_for(state="visible")
    box = await knob.bounding_box()
    track = await page.locator(".slider-knob").locator("xpath=..").bounding_box()
    assert box is not None and track is not None
    y = box["y"] + box["height"] / 2
    await page.mouse.move(box["x"] + box["width"] / 2, y)
    await page.mouse.down()
    for step in range(1, 11):
        await page.mouse.move(box["x"] + track["width"] * step / 10, y)
    await page.mouse.up()


# -- login -----------------------------------------------------------------------------------


async def test_login_through_the_slider_challenge_with_a_human(page: Page) -> None:
    with pdd(faults=["challenge_on_login"]) as running:
        ctx = flow_context(page, "pdd", running.base_url("pdd"))
        told: list[str] = []
        asked = asyncio.Event()
        human = HumanWait(timeout_s=30, tell=lambda msg: (told.append(msg), asked.set()))

        async def human_when_asked() -> None:
            await asked.wait()
            await drag_slider(page)

        await asyncio.gather(flow("pdd").login(ctx, DEMO, human), human_when_asked())
        assert told and "滑块" in told[0]
        assert "/home" in page.url


async def test_login_on_a_new_device_with_the_sms_code_from_the_outbox(page: Page) -> None:
    with pdd(known_device=False) as running:
        base = running.base_url("pdd")
        ctx = flow_context(page, "pdd", base)

        async def human_types_the_code() -> None:
            async with page.expect_response(lambda r: "getLoginVerificationCode" in r.url):
                await page.get_by_role("button", name="获取验证码").click()
            async with httpx.AsyncClient() as client:
                outbox = (await client.get(f"{base}/__replica__/sms")).json()
            await page.locator("#mobileVerifyCode").fill(outbox[-1]["code"])
            await page.get_by_role("button", name="确定").click()

        await asyncio.gather(
            flow("pdd").login(ctx, DEMO, HumanWait(timeout_s=30, tell=lambda _: None)),
            _after_text(page, "获取验证码", human_types_the_code),
        )
        assert "/home" in page.url


async def _after_text(page: Page, text: str, then: Any) -> None:
    await page.get_by_text(text).first.wait_for(state="visible")
    await then()


async def test_headless_login_facing_a_challenge_asks_for_a_human(page: Page) -> None:
    with pdd(faults=["challenge_on_login"]) as running:
        ctx = flow_context(page, "pdd", running.base_url("pdd"))
        with pytest.raises(LoginChallenge, match="slider"):
            await flow("pdd").login(ctx, DEMO, None)


async def test_wrong_password_and_locked_account_are_rejected_not_retried(page: Page) -> None:
    with pdd() as running:
        ctx = flow_context(page, "pdd", running.base_url("pdd"))
        wrong = Credentials(username=DEMO_USERNAME, password=SecretStr("not-it"))
        with pytest.raises(LoginRejected, match="账号或密码错误"):
            await flow("pdd").login(ctx, wrong, None)
    with pdd(faults=["account_locked"]) as running:
        ctx = flow_context(page, "pdd", running.base_url("pdd"))
        with pytest.raises(LoginRejected, match="locked"):
            await flow("pdd").login(ctx, DEMO, None)


async def test_announcement_modal_ignores_escape_and_is_closed_before_collecting(
    context: BrowserContext,
) -> None:
    with pdd() as running:
        page = await context.new_page()
        ctx = flow_context(page, "pdd", running.base_url("pdd"))
        await flow("pdd").login(ctx, DEMO, None)
        modal = page.get_by_test_id("beast-core-modal").filter(has_text="公告")
        await modal.wait_for(state="visible")
        await page.keyboard.press("Escape")
        assert await modal.is_visible()
        await flow("pdd").open(ctx)
        await flow("pdd").collect(ctx)
        assert all(t.complete for t in ctx.sink.lists.values())
        assert ctx.sink.findings


# -- whole sweeps ----------------------------------------------------------------------------


@pytest.mark.slow
async def test_saved_session_is_reused_then_expiry_with_a_challenge_is_needs_login(tmp_path: Path) -> None:
    with pdd(faults=[]) as running:
        first = await sweep(running, tmp_path, "first")
        assert first.status is FlowStatus.OK
        second = await sweep(running, tmp_path, "second")
        assert second.status is FlowStatus.OK
        logins = [s for s in replica_state(running)["sessions"]]
        assert len(logins) == 1, "the second sweep must reuse the saved session, not log in again"
    with pdd(faults=["challenge_on_login"]) as running:  # a new replica: the saved session is unknown
        expired = await sweep(running, tmp_path, "third")
    assert expired.status is FlowStatus.NEEDS_LOGIN
    assert expired.fix_command == "sweeper login pdd --account default"
    assert expired.findings == []
    assert any(e.endswith(".png") for e in expired.evidence)


@pytest.mark.slow
async def test_every_category_under_a_fixed_clock(tmp_path: Path) -> None:
    add = {
        "orders": [
            {"order_sn": "261124-000000000000001", "promise_shipping_time": NOW_S - 5 * HOUR},
            {"order_sn": "261125-000000000000002", "promise_shipping_time": NOW_S + 3 * HOUR},
            {"order_sn": "261125-000000000000003", "promise_shipping_time": NOW_S + 40 * HOUR},
        ],
        "aftersales": [
            {"orderSn": "261120-000000000000004", "afterSalesTitle": "仅退款，待商家处理", "_deadline": NOW_S + 5 * HOUR},
            {"orderSn": "261120-000000000000005", "afterSalesTitle": "退货退款，待商家处理", "_deadline": NOW_S + 72 * HOUR},
            {"orderSn": "261120-000000000000006", "afterSalesTitle": "退款成功"},
        ],
        "work_orders": [{"orderSn": "261121-000000000000007", "status": 1, "expireTime": NOW_S + 20 * HOUR}],
        "prescriptions": [{"orderSn": "261126-000000000000008", "status": 0}],
    }
    with pdd(add=add) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.OK, result.reason
    found = {f.order_no: f for f in result.findings}
    assert found["261124-000000000000001"].category is Category.OVERDUE_SHIPMENT
    assert found["261124-000000000000001"].seconds_left == -5 * HOUR
    assert found["261125-000000000000002"].category is Category.SHIPMENT_DUE_SOON
    assert "261125-000000000000003" not in found  # comfortable: counted, not reported
    assert found["261120-000000000000004"].category is Category.AFTERSALE_DUE_SOON
    assert found["261120-000000000000005"].category is Category.REFUND_WAITING
    assert "261120-000000000000006" not in found
    assert found["261121-000000000000007"].category is Category.COMPLAINT
    assert found["261126-000000000000008"].category is Category.PRESCRIPTION_REVIEW
    overdue = found["261124-000000000000001"]
    assert overdue.amount_yuan is not None and overdue.link.endswith("sn=261124-000000000000001")
    assert overdue.deadline_at is not None and str(overdue.deadline_at.tzinfo) == "Asia/Shanghai"


@pytest.mark.slow
async def test_paging_reads_every_page_with_the_largest_page_size(tmp_path: Path) -> None:
    with pdd(items=130) as running:
        result = await sweep(running, tmp_path)
        calls = replica_state(running)["api_calls"]
    assert result.status is FlowStatus.OK, result.reason
    tallies = {t.name: t for t in result.lists}
    assert tallies["orders_to_ship"].rows_read == 130 and tallies["orders_to_ship"].pages == 3  # 50 a page
    assert tallies["aftersales"].rows_read == 130 and tallies["aftersales"].pages == 2  # 100 a page
    assert calls, "the replica counted the list calls"


@pytest.mark.slow
async def test_counter_mismatch_makes_the_platform_partial_with_numbers(tmp_path: Path) -> None:
    with pdd(faults=["counter_mismatch"]) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.PARTIAL
    assert "orders_to_ship: read 45 rows, the platform says 48" in result.reason
    assert result.findings, "what was read is still reported"


@pytest.mark.slow
async def test_unparseable_deadline_is_kept_and_flagged_and_memo_is_escaped(tmp_path: Path) -> None:
    add = {"orders": [{"order_sn": "261126-000000000000009", "promise_shipping_time": "明天",
                       "buyer_memo": "<script>alert(1)</script>快点"}]}
    with pdd(add=add) as running:
        result = await sweep(running, tmp_path)
    bad = next(f for f in result.findings if f.order_no == "261126-000000000000009")
    assert bad.deadline_at is None and bad.raw["deadline_at"] == "明天" and bad.problems
    run = as_run(result)
    html = write_run(tmp_path, run).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;快点" in html and "<script>alert(1)" not in html


@pytest.mark.slow
async def test_http_500_on_a_page_is_not_shown_as_empty(tmp_path: Path) -> None:
    with pdd(items=130, faults=["page_500"], fault_args={"page_500": {"list": "orders", "page": 2}}) as running:
        result = await sweep(running, tmp_path)
    assert result.status in (FlowStatus.FAILED, FlowStatus.PARTIAL)
    assert "HTTP 500" in result.reason
    assert any(e.endswith("-trace.zip") for e in result.evidence)


@pytest.mark.slow
async def test_empty_lists_are_confirmed_empty_and_ok(tmp_path: Path) -> None:
    with pdd(faults=["empty_lists"]) as running:
        result = await sweep(running, tmp_path)
    assert result.status is FlowStatus.OK
    assert result.findings == []
    assert {t.name for t in result.lists} >= {"orders_to_ship", "aftersales", "work_orders", "prescriptions"}
    assert all(t.complete and t.rows_read == 0 for t in result.lists)
