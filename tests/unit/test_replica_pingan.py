"""The 平安健康 replica: gateway envelope, signature, units, paging, login, captcha and faults."""

from __future__ import annotations

import hashlib
import random
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.pingan import REPLICA
from replicas.pingan.gateway import signature
from replicas.pingan.state import APP_ID

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
NOW_MS = int(NOW.timestamp() * 1000)
Json = dict[str, Any]


def client(**scenario: Any) -> httpx.AsyncClient:
    """The replica app in-process (httpx's ASGI transport: no server, no port)."""
    env = ReplicaEnv(
        key="pingan", scenario=PlatformScenario(**scenario), clock=ReplicaClock(NOW),
        rng=random.Random(7), hosts=HostMap({"www": "http://testserver"}),
    )
    transport = httpx.ASGITransport(app=REPLICA.build(env)["www"])
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


async def login(c: httpx.AsyncClient, name: str = DEMO_USERNAME, password: str = DEMO_PASSWORD,
                **extra: str) -> httpx.Response:
    data = {"loginName": name, "password": md5(password), "appId": APP_ID, **extra}
    return await c.post("/login/loginname", data=data)


async def login_json(c: httpx.AsyncClient, *args: str, **extra: str) -> Json:
    body: Json = (await login(c, *args, **extra)).json()
    return body


async def call(c: httpx.AsyncClient, mt: str, token: str = "", *, signed: bool = True,
               **params: Any) -> httpx.Response:
    form = {"_mt": mt, "_sm": "md5", "_aid": APP_ID, "_wtk": token, **{k: str(v) for k, v in params.items()}}
    form["_sig"] = signature(form) if signed else "0" * 32
    return await c.post(f"/m.api?_mt={mt}", data=form)


async def call_json(c: httpx.AsyncClient, mt: str, token: str = "", **params: Any) -> Json:
    body: Json = (await call(c, mt, token, **params)).json()
    return body


async def token_of(c: httpx.AsyncClient) -> str:
    reply = await login_json(c)
    assert reply["success"] is True, reply
    token: str = reply["model"]["_wtk"]
    return token


async def page(c: httpx.AsyncClient, token: str, mt: str = "seller.order.list", **params: Any) -> Json:
    body = await call_json(c, mt, token, **params)
    assert body["stat"]["code"] == 0, body["stat"]
    content: Json = body["content"][0]
    return content


async def get_json(c: httpx.AsyncClient, path: str) -> Json:
    body: Json = (await c.get(path)).json()
    return body


async def test_demo_login_sets_the_wtk_cookie_and_returns_the_token() -> None:
    c = client()
    reply = await login(c)
    body = reply.json()
    assert reply.status_code == 200
    assert body["success"] is True and body["errorCode"] is None
    assert reply.cookies["_wtk"] == body["model"]["_wtk"]
    assert "Max-Age=28800" in reply.headers["set-cookie"]
    assert (await get_json(c, "/__replica__/state"))["logins"] == 1


async def test_wrong_password_is_refused_and_three_failures_bring_the_captcha() -> None:
    c = client()
    for _ in range(3):
        body = await login_json(c, DEMO_USERNAME, "nope")
        assert body["success"] is False
        assert "账号或密码错误" in body["errorMessage"]
    assert await login_json(c) == {
        "success": False, "model": None, "errorCode": "NEED_CAPTCHA", "errorMessage": "请输入图片验证码",
    }


async def test_extra_accounts_from_fault_args_are_accepted() -> None:
    c = client(fault_args={"accounts": {"shop-2": "second-pass"}})
    assert (await login_json(c, "shop-2", "second-pass"))["success"] is True
    assert (await login_json(c, "shop-2", DEMO_PASSWORD))["success"] is False


async def test_account_locked_fault_refuses_even_the_right_password() -> None:
    body = await login_json(client(faults=["account_locked"]))
    assert body["errorCode"] == "ACCOUNT_LOCKED" and "锁定" in body["errorMessage"]


async def test_unsigned_calls_are_refused_like_a_client_that_skipped_the_page_js() -> None:
    c = client()
    body = (await call(c, "seller.order.list", await token_of(c), signed=False)).json()
    assert body["stat"]["code"] == -180
    assert body["content"] == []


async def test_missing_or_unknown_token_is_a_negative_code_with_http_200() -> None:
    reply = await call(client(), "seller.dashboard.count", "not-a-token")
    assert reply.status_code == 200
    assert reply.json()["stat"]["code"] == -360


async def test_envelope_units_are_milliseconds_and_fen() -> None:
    c = client()
    body = await call_json(c, "seller.order.list", await token_of(c), status=20, pageNo=1, pageSize=20)
    assert body["stat"]["code"] == 0
    assert body["stat"]["stateList"] == [{"code": 0, "msg": "success"}]
    assert body["stat"]["systime"] == pytest.approx(NOW_MS, abs=60_000)
    content = body["content"][0]
    assert (content["total"], content["pageNo"], content["pageSize"]) == (50, 1, 20)
    row = content["list"][0]
    assert row["orderStatus"] == 20 and row["orderStatusDesc"] == "待发货"
    assert isinstance(row["promiseDeliveryTime"], int) and row["promiseDeliveryTime"] > 10**12
    assert isinstance(row["payAmount"], int)
    assert row["payAmount"] == sum(i["price"] * i["quantity"] for i in row["items"])


async def test_to_ship_deadlines_cover_overdue_due_soon_and_comfortable() -> None:
    c = client()
    rows = (await page(c, await token_of(c), status=20, pageSize=100))["list"]
    hours = [(r["promiseDeliveryTime"] - NOW_MS) / 3_600_000 for r in rows]
    assert any(h < 0 for h in hours)
    assert any(0 < h <= 12 for h in hours)
    assert any(h > 24 for h in hours)
    assert all(r["createTime"] <= NOW_MS for r in rows)


async def test_paging_reads_every_record_once_and_page_size_is_capped_at_100() -> None:
    c = client(items=250)
    token = await token_of(c)
    seen: list[str] = []
    sizes = []
    for number in (1, 2, 3, 4):
        content = await page(c, token, status=20, pageNo=number, pageSize=100)
        sizes.append(len(content["list"]))
        seen += [r["orderId"] for r in content["list"]]
    assert sizes == [100, 100, 50, 0]
    assert len(set(seen)) == 250
    assert (await page(c, token, status=20, pageSize=500))["pageSize"] == 100


async def test_two_thousand_items_and_the_last_page_is_there() -> None:
    c = client(items=2000)
    content = await page(c, await token_of(c), "seller.refund.list", status=10, pageNo=20, pageSize=100)
    assert content["total"] == 2000 and len(content["list"]) == 100


async def test_dashboard_counters_match_the_lists() -> None:
    c = client(items=40)
    token = await token_of(c)
    counts = await page(c, token, "seller.dashboard.count")
    assert counts["waitDeliverCount"] == (await page(c, token, status=20))["total"] == 40
    assert counts["waitAcceptCount"] == (await page(c, token, status=10))["total"]
    assert counts["refundWaitCount"] == (await page(c, token, "seller.refund.list", status=10))["total"]
    assert counts["rxWaitAuditCount"] == (await page(c, token, "seller.rx.list", auditStatus=0))["total"]
    assert counts["complaintWaitCount"] == (await page(c, token, "seller.complaint.list", status=0))["total"]
    assert 0 < counts["soonTimeoutCount"] + counts["timeoutCount"] < counts["waitDeliverCount"]
    assert counts["notice"]["title"] == "平台公告"


async def test_several_methods_in_one_call_answer_in_order() -> None:
    c = client()
    body = await call_json(c, "kylin.getUserAndSellerInfo,seller.rx.list", await token_of(c),
                           **{"1_auditStatus": 1})
    assert body["stat"]["code"] == 0
    user, rx = body["content"]
    assert user["loginName"] == DEMO_USERNAME
    assert {r["auditStatusDesc"] for r in rx["list"]} == {"已通过"}


async def test_replica_expire_kills_every_token() -> None:
    c = client()
    token = await token_of(c)
    assert (await c.post("/__replica__/expire")).json() == {"expired": 1}
    assert (await call_json(c, "seller.dashboard.count", token))["stat"]["code"] == -360


async def test_session_expired_fault_after_requests() -> None:
    c = client(faults=["session_expired"], fault_args={"session_expired": {"after_requests": 2}})
    token = await token_of(c)
    codes = [(await call_json(c, "seller.dashboard.count", token))["stat"]["code"] for _ in range(3)]
    assert codes == [0, 0, -360]


async def test_challenge_on_login_requires_the_image_captcha() -> None:
    c = client(faults=["challenge_on_login"])
    assert 'id="captcha-row">' in (await c.get("/login")).text  # shown: no hidden attribute
    assert (await login_json(c))["errorCode"] == "NEED_CAPTCHA"
    captcha = (await call_json(c, "kylin.requestCaptcha"))["content"][0]
    assert captcha["imgUrl"].startswith("/captcha/image?key=")
    image = await c.get(captcha["imgUrl"])
    assert image.headers["content-type"].startswith("image/svg+xml") and "<text" in image.text
    latest = (await get_json(c, "/__replica__/captcha"))["latest"]
    assert latest["key"] == captcha["key"] and len(latest["answer"]) == 4
    assert (await login_json(c, captcha="zzzz", _cap=captcha["key"]))["errorCode"] == "CAPTCHA_ERROR"
    burnt = await login_json(c, captcha=latest["answer"].lower(), _cap=captcha["key"])
    assert burnt["errorCode"] == "CAPTCHA_ERROR"  # one try per image
    fresh = (await call_json(c, "kylin.requestCaptcha"))["content"][0]
    answer = (await get_json(c, "/__replica__/captcha"))["answers"][fresh["key"]]
    assert (await login_json(c, captcha=answer.lower(), _cap=fresh["key"]))["success"] is True


async def test_a_remembered_device_needs_no_captcha_and_an_unknown_one_does() -> None:
    assert 'id="captcha-row" hidden' in (await client().get("/login")).text
    c = client(known_device=False)
    assert 'id="captcha-row">' in (await c.get("/login")).text
    assert (await login_json(c))["errorCode"] == "NEED_CAPTCHA"


async def test_empty_lists_fault_empties_lists_and_counters() -> None:
    c = client(faults=["empty_lists"])
    token = await token_of(c)
    assert await page(c, token, status=20) == {"total": 0, "pageNo": 1, "pageSize": 20, "list": []}
    counts = await page(c, token, "seller.dashboard.count")
    assert counts["waitDeliverCount"] == counts["refundWaitCount"] == counts["complaintWaitCount"] == 0


async def test_page_500_hits_only_its_page() -> None:
    c = client(items=250, faults=["page_500"], fault_args={"page_500": {"list": "orders_ship", "page": 2}})
    token = await token_of(c)
    assert (await call(c, "seller.order.list", token, status=20, pageNo=1, pageSize=100)).status_code == 200
    failed = await call(c, "seller.order.list", token, status=20, pageNo=2, pageSize=100)
    assert failed.status_code == 500 and "Internal Server Error" in failed.text
    assert (await call(c, "seller.order.list", token, status=10, pageNo=2, pageSize=100)).status_code == 200


async def test_timeout_page_answers_504_after_its_delay() -> None:
    c = client(faults=["timeout_page"], fault_args={"timeout_page": {"list": "refunds", "page": 1, "ms": 50}})
    reply = await call(c, "seller.refund.list", await token_of(c), status=10)
    assert reply.status_code == 504


async def test_gateway_error_is_http_200_with_a_busy_code() -> None:
    c = client(faults=["gateway_error"], fault_args={"gateway_error": {"list": "complaints", "page": 1}})
    reply = await call(c, "seller.complaint.list", await token_of(c), status=0)
    assert reply.status_code == 200
    assert reply.json()["stat"]["code"] == -100


async def test_stale_counters_and_drop_rows_make_counts_disagree() -> None:
    c = client(
        faults=["stale_counters", "drop_rows"],
        fault_args={"stale_counters": {"list": "refunds", "delta": 3},
                    "drop_rows": {"list": "prescriptions", "page": 1, "n": 2}},
    )
    token = await token_of(c)
    counts = await page(c, token, "seller.dashboard.count")
    refunds = await page(c, token, "seller.refund.list", status=10)
    assert counts["refundWaitCount"] == refunds["total"] + 3
    rx = await page(c, token, "seller.rx.list", auditStatus=0, pageSize=100)
    assert rx["total"] == 32 and len(rx["list"]) == 30


async def test_added_records_merge_over_defaults_and_keep_malformed_values() -> None:
    c = client(
        items=0,
        add={"orders": [{"orderId": "X-1", "orderStatus": 20, "promiseDeliveryTime": "明天下午"}]},
        replace={"complaints": [{"complaintId": "C-1", "orderId": "X-1", "content": "<b>慢</b>"}]},
    )
    token = await token_of(c)
    rows = (await page(c, token, status=20))["list"]
    assert [r["orderId"] for r in rows] == ["X-1"]
    assert rows[0]["promiseDeliveryTime"] == "明天下午"
    assert rows[0]["orderStatusDesc"] == "待发货" and rows[0]["items"]
    complaints = (await page(c, token, "seller.complaint.list", status=0))["list"]
    assert [(r["complaintId"], r["content"]) for r in complaints] == [("C-1", "<b>慢</b>")]
    assert (await page(c, token, "seller.complaint.list", status=1))["total"] == 0


async def test_same_seed_gives_the_same_records() -> None:
    ids = []
    for c in (client(), client()):
        ids.append([r["orderId"] for r in (await page(c, await token_of(c), status=20))["list"]])
    assert ids[0] == ids[1]


async def test_details_answer_by_id_and_unknown_ids_are_a_business_error() -> None:
    c = client()
    token = await token_of(c)
    first = (await page(c, token, "seller.refund.list", status=10))["list"][0]
    detail = await page(c, token, "seller.refund.detail", refundId=first["refundId"])
    assert detail == first
    missing = await call_json(c, "seller.refund.detail", token, refundId="nope")
    assert missing["stat"]["code"] == 0 and missing["stat"]["stateList"][0]["code"] == 404


async def test_markup_drift_reaches_the_pages() -> None:
    pager = client(faults=["markup_drift"], fault_args={"markup_drift": {"what": "pager"}})
    assert '"drift": "pager"' in (await pager.get("/sell/")).text
    drifted = client(faults=["markup_drift"], fault_args={"markup_drift": {"what": "login"}})
    assert '<label for="loginName">登录名</label>' in (await drifted.get("/login")).text


async def test_pages_are_self_contained() -> None:
    c = client()
    for path in ("/sell/", "/login"):
        html = (await c.get(path)).text
        assert "<script src" not in html and "<link" not in html and "http" not in html
    assert (await c.get("/")).headers["location"] == "/sell/"


async def test_slow_fault_delays_answers() -> None:
    c = client(faults=["slow"], fault_args={"slow": {"ms": 200}})
    started = time.monotonic()
    await c.get("/login")
    assert time.monotonic() - started >= 0.2
