"""The 药房网 replica: login host and cookies, session expiry, two-row tables, paging, faults."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from replicas.common.clock import ReplicaClock
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME, HostMap, ReplicaEnv
from replicas.yaofangwang import REPLICA
from replicas.yaofangwang.data import build_store, ship_deadline
from replicas.yaofangwang.state import SiteState
from tests.helpers import FIXED_NOW

KEY = "yaofangwang"
HEAD_ROW = re.compile(r'<tr class="bg-grey-cararra">')
PAGER = re.compile(r'<div class="info">共 (\d+) 条，共 (\d+) 页</div>')


@contextmanager
def replica(**platform: Any) -> Iterator[RunningReplicas]:
    scenario = Scenario(clock=FIXED_NOW, platforms={KEY: PlatformScenario(**platform)})
    with serve_replicas(scenario, [KEY]) as running:
        yield running


def login(running: RunningReplicas, client: httpx.Client, username: str = DEMO_USERNAME,
          password: str = DEMO_PASSWORD, **extra: str) -> httpx.Response:
    reg = running.host_url(KEY, "reg")
    data = {"username": username, "password": password, "ReturnUrl": running.base_url(KEY) + "/", **extra}
    return client.post(reg + "/login.html", data=data)


def pager(html: str) -> tuple[int, int]:
    match = PAGER.search(html)
    assert match, "pager text missing"
    return int(match[1]), int(match[2])


@pytest.fixture
def demo() -> Iterator[tuple[RunningReplicas, httpx.Client]]:
    with replica(items=45) as running, httpx.Client() as client:
        assert login(running, client).status_code == 302
        yield running, client


def test_spec_declares_two_hosts_with_the_store_as_main() -> None:
    assert REPLICA.key == KEY and REPLICA.hosts == ("reg", "yaodian") and REPLICA.main == "yaodian"
    for fault in ("session_expired", "challenge_on_login", "account_locked", "empty_lists", "page_500",
                  "slow", "timeout_page", "markup_drift", "aspnet_error", "aspnet_error_200"):
        assert fault in REPLICA.faults


def test_store_page_without_session_redirects_to_the_login_host_with_a_return_url() -> None:
    with replica() as running, httpx.Client() as client:
        url = running.base_url(KEY) + "/order/list/?status=1"
        answer = client.get(url)
        assert answer.status_code == 302
        target = urlsplit(answer.headers["location"])
        assert f"{target.scheme}://{target.netloc}" == running.host_url(KEY, "reg")
        assert target.path == "/login.html"
        assert parse_qs(target.query)["ReturnUrl"] == [url]


def test_login_sets_aspnet_cookies_and_returns_to_the_store() -> None:
    with replica() as running, httpx.Client() as client:
        answer = login(running, client)
        assert answer.status_code == 302
        assert answer.headers["location"] == running.base_url(KEY) + "/"
        assert len(client.cookies["ASP.NET_SessionId"]) == 24
        assert client.cookies["logined_username"] == DEMO_USERNAME
        assert "欢迎您，sweeper-demo" in client.get(running.base_url(KEY) + "/").text


def test_wrong_password_re_renders_the_form_with_an_error_and_no_cookie() -> None:
    with replica() as running, httpx.Client() as client:
        answer = login(running, client, password="nope")
        assert answer.status_code == 200
        assert 'role="alert"' in answer.text and "用户名或密码错误" in answer.text
        assert "ASP.NET_SessionId" not in client.cookies


def test_extra_accounts_from_fault_args_can_log_in() -> None:
    with replica(fault_args={"accounts": {"shop-2": "pw-2"}}) as running, httpx.Client() as client:
        assert login(running, client, "shop-2", "pw-2").status_code == 302
        assert client.cookies["logined_username"] == "shop-2"


def test_account_locked_refuses_even_the_right_password() -> None:
    with replica(faults=["account_locked"]) as running, httpx.Client() as client:
        answer = login(running, client)
        assert answer.status_code == 200 and "锁定" in answer.text


def test_captcha_is_required_under_challenge_on_login() -> None:
    with replica(faults=["challenge_on_login"]) as running, httpx.Client() as client:
        reg = running.host_url(KEY, "reg")
        form = client.get(reg + "/login.html").text
        assert 'placeholder="验证码"' in form
        key = re.search(r'name="vcid" value="(\w+)"', form)
        assert key
        code = client.get(reg + "/__replica__/captcha").json()["code"]
        image = client.get(reg + f"/Handler/ValidateCode.ashx?key={key[1]}")
        assert image.headers["content-type"].startswith("image/svg+xml") and code[0] in image.text
        wrong = login(running, client, vcode="XXXX", vcid=key[1])
        assert wrong.status_code == 200 and "验证码错误" in wrong.text
        fresh = re.search(r'name="vcid" value="(\w+)"', wrong.text)
        assert fresh
        code = client.get(reg + "/__replica__/captcha").json()["code"]
        assert login(running, client, vcode=code.lower(), vcid=fresh[1]).status_code == 302


def test_list_pages_have_two_rows_per_record_and_page_by_page_and_pagesize(demo: tuple[RunningReplicas, httpx.Client]) -> None:
    running, client = demo
    base = running.base_url(KEY) + "/order/list/?status=1"
    first = client.get(base).text
    assert pager(first) == (45, 3)
    assert len(HEAD_ROW.findall(first)) == 20
    assert first.count("<tr>") == 20 + 1  # one detail row per record, plus the <thead> row
    assert len(HEAD_ROW.findall(client.get(base + "&page=3").text)) == 5
    assert len(HEAD_ROW.findall(client.get(base + "&page=4").text)) == 0
    big = client.get(base + "&pagesize=100").text
    assert pager(big) == (45, 1) and len(HEAD_ROW.findall(big)) == 45
    assert '<option value="100" selected>' in big
    assert pager(client.get(base + "&pagesize=37").text) == (45, 3), "unknown sizes fall back to 20"
    numbers = [m for p in (1, 2, 3) for m in re.findall(r"订单编号：<b>(\d+)</b>", client.get(base + f"&page={p}").text)]
    assert len(numbers) == len(set(numbers)) == 45


def test_every_list_and_the_dashboard_agree(demo: tuple[RunningReplicas, httpx.Client]) -> None:
    running, client = demo
    base = running.base_url(KEY)
    home = client.get(base + "/").text
    counters = [int(n) for n in re.findall(r'<div class="number">(\d+)</div>', home)]
    totals = [pager(client.get(base + path).text)[0] for path in (
        "/order/list/?status=1", "/refund/list/?status=0", "/prescription/list/?status=0", "/message/list/?status=0")]
    assert counters == totals == [45, 45, 45, 45]
    assert pager(client.get(base + "/order/list/?status=2").text)[0] == 12  # shipped ones are separate
    refunds = client.get(base + "/refund/list/?status=0&pagesize=100").text
    assert "<th>处理截止</th>" in refunds and "退款编号：" in refunds


def test_announcement_shows_until_closed(demo: tuple[RunningReplicas, httpx.Client]) -> None:
    running, client = demo
    base = running.base_url(KEY)
    assert 'role="dialog"' in client.get(base + "/").text
    assert client.post(base + "/home/closenotice/").json() == {"result": True}
    assert 'role="dialog"' not in client.get(base + "/").text


def test_two_thousand_items_generate_fast_and_page_to_the_end() -> None:
    started = time.perf_counter()
    store = build_store(PlatformScenario(items=2000), random.Random(1), FIXED_NOW)
    assert time.perf_counter() - started < 2.0
    assert sum(1 for r in store.records["orders"] if r["status"] == "待发货") == 2000
    with replica(items=2000) as running, httpx.Client() as client:
        login(running, client)
        base = running.base_url(KEY) + "/message/list/?status=0&pagesize=100"
        last = client.get(base + "&page=20").text
        assert pager(last) == (2000, 20) and len(HEAD_ROW.findall(last)) == 100
        assert len(HEAD_ROW.findall(client.get(base + "&page=21").text)) == 0


def test_ship_deadline_rule_cuts_off_at_five_pm() -> None:
    before = datetime(2026, 11, 25, 16, 59, tzinfo=FIXED_NOW.tzinfo)
    assert ship_deadline(before) == datetime(2026, 11, 26, 16, 0, tzinfo=FIXED_NOW.tzinfo)
    assert ship_deadline(before + timedelta(minutes=1)) == datetime(2026, 11, 27, 16, 0, tzinfo=FIXED_NOW.tzinfo)


def test_added_records_keep_malformed_values_and_are_escaped() -> None:
    added = {"order_no": "2611259999000001", "created_at": "昨天下午", "amount": "abc",
             "buyer_memo": "<script>alert(1)</script>", "allocation": "未分配"}
    with replica(add={"orders": [added]}, replace={"messages": []}) as running, httpx.Client() as client:
        login(running, client)
        base = running.base_url(KEY)
        html = client.get(base + "/order/list/?status=1&pagesize=100").text
        record = html[html.index("2611259999000001"):]
        record = record[: record.index('<tr class="bg-grey-cararra">') if '<tr class="bg-grey-cararra">' in record else None]
        assert "下单时间：<b>昨天下午</b>" in record and "¥abc" in record and "未分配" in record
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in record and "<script>alert" not in html
        assert pager(html)[0] == 41
        assert pager(client.get(base + "/message/list/?status=0").text) == (0, 0)


def test_added_order_gets_its_deadline_from_the_rule() -> None:
    added = {"order_no": "2611240000000007", "created_at": datetime(2026, 11, 24, 18, 30)}
    with replica(add={"orders": [added]}) as running, httpx.Client() as client:
        login(running, client)
        html = client.get(running.base_url(KEY) + "/order/list/?status=1&pagesize=100").text
        record = html[html.index("2611240000000007"):]
        assert "2026-11-24 18:30:00" in record[:300] and "<td>2026-11-26 16:00:00</td>" in record[:1500]


@pytest.mark.parametrize(("fault", "status", "marker"), [
    ("page_500", 500, "500 - 内部服务器错误"),
    ("aspnet_error", 500, "Server Error in '/' Application."),
    ("aspnet_error_200", 200, "Server Error in '/' Application."),
])
def test_error_faults_hit_only_the_named_list_page(fault: str, status: int, marker: str) -> None:
    args = {fault: {"list": "refunds", "page": 2}}
    with replica(items=45, faults=[fault], fault_args=args) as running, httpx.Client() as client:
        login(running, client)
        base = running.base_url(KEY) + "/refund/list/?status=0"
        broken = client.get(base + "&page=2")
        assert broken.status_code == status
        assert marker in broken.text
        assert client.get(base).status_code == 200 and pager(client.get(base).text) == (45, 3)
        assert client.get(running.base_url(KEY) + "/order/list/?status=1&page=2").status_code == 200


def test_empty_lists_show_zero_and_no_record_rows() -> None:
    with replica(faults=["empty_lists"]) as running, httpx.Client() as client:
        login(running, client)
        html = client.get(running.base_url(KEY) + "/order/list/?status=1").text
        assert pager(html) == (0, 0) and not HEAD_ROW.search(html) and "暂无数据" in html


def test_session_expired_after_a_number_of_requests() -> None:
    faults = {"faults": ["session_expired"], "fault_args": {"session_expired": {"after_requests": 2}}}
    with replica(**faults) as running, httpx.Client() as client:
        login(running, client)
        base = running.base_url(KEY)
        assert client.get(base + "/").status_code == 200
        assert client.get(base + "/order/list/?status=1").status_code == 200
        gone = client.get(base + "/refund/list/?status=0")
        assert gone.status_code == 302 and "/login.html?ReturnUrl=" in gone.headers["location"]


def test_replica_expire_route_drops_every_session(demo: tuple[RunningReplicas, httpx.Client]) -> None:
    running, client = demo
    base = running.base_url(KEY)
    assert client.post(base + "/__replica__/expire").json() == {"expired": 1}
    assert client.get(base + "/").status_code == 302
    state = client.get(base + "/__replica__/state").json()
    assert state["sessions"] == 0 and state["logins"] == 1


class _Clock(ReplicaClock):
    def __init__(self) -> None:
        super().__init__(FIXED_NOW)
        self.moment = FIXED_NOW

    def now(self) -> datetime:
        return self.moment


def test_idle_session_expires_after_its_lifetime() -> None:
    clock = _Clock()
    env = ReplicaEnv(key=KEY, scenario=PlatformScenario(session_lifetime_s=600), clock=clock,
                     rng=random.Random(3), hosts=HostMap({"reg": "http://r", "yaodian": "http://y"}))
    state = SiteState(env)
    sid = state.open_session(DEMO_USERNAME).sid
    clock.moment += timedelta(seconds=599)
    assert state.use_session(sid) is not None, "still alive, and the idle timer restarts"
    clock.moment += timedelta(seconds=599)
    assert state.use_session(sid) is not None
    clock.moment += timedelta(seconds=601)
    assert state.use_session(sid) is None and state.use_session(sid) is None


@pytest.mark.parametrize(("what", "gone", "present"), [
    ("rows", '<tr class="bg-grey-cararra">', '<tr class="bg-grey-steel">'),
    ("pager", '<div class="info">', '<div class="dataTables_info">'),
    ("columns", "<th>分配状态</th>", "<th>WMS分配</th>"),
    ("page_size", ">每页显示</label>", ">显示条数</label>"),
    ("home", ">退出</a>", ">注销</a>"),
])
def test_markup_drift_renames_one_hook(what: str, gone: str, present: str) -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as running, httpx.Client() as client:
        login(running, client)
        html = client.get(running.base_url(KEY) + "/order/list/?status=1").text
        assert gone not in html and present in html


def test_markup_drift_on_login_renames_the_username_field() -> None:
    with replica(faults=["markup_drift"], fault_args={"markup_drift": {"what": "login"}}) as running:
        html = httpx.get(running.host_url(KEY, "reg") + "/login.html").text
        assert 'placeholder="用户名/手机号"' not in html and 'placeholder="请输入账号"' in html


def test_count_mismatch_overstates_the_pager_total() -> None:
    with replica(items=40, faults=["count_mismatch"], fault_args={"count_mismatch": {"list": "orders", "delta": 2}}) as running, httpx.Client() as client:
        login(running, client)
        html = client.get(running.base_url(KEY) + "/order/list/?status=1").text
        assert pager(html) == (42, 3) and len(HEAD_ROW.findall(html)) == 20


def test_list_shifts_moves_records_out_while_paging() -> None:
    args = {"list_shifts": {"list": "prescriptions", "after_page": 1, "count": 1}}
    with replica(items=30, faults=["list_shifts"], fault_args=args) as running, httpx.Client() as client:
        login(running, client)
        base = running.base_url(KEY) + "/prescription/list/?status=0"
        first = client.get(base).text
        assert pager(first) == (30, 2)
        second = client.get(base + "&page=2").text
        assert pager(second) == (29, 2) and len(HEAD_ROW.findall(second)) == 9


def test_slow_fault_delays_store_pages() -> None:
    with replica(faults=["slow"], fault_args={"slow": {"ms": 400}}) as running, httpx.Client() as client:
        login(running, client)
        started = time.perf_counter()
        assert client.get(running.base_url(KEY) + "/").status_code == 200
        assert time.perf_counter() - started >= 0.4


def test_timeout_page_never_answers_in_time() -> None:
    args = {"timeout_page": {"list": "messages", "page": 1, "hold_s": 30}}
    with replica(faults=["timeout_page"], fault_args=args) as running, httpx.Client() as client:
        login(running, client)
        with pytest.raises(httpx.ReadTimeout):
            client.get(running.base_url(KEY) + "/message/list/?status=0", timeout=0.5)
        assert client.get(running.base_url(KEY) + "/refund/list/?status=0").status_code == 200


def test_data_is_reproducible_per_seed_and_relative_to_the_clock() -> None:
    one = build_store(PlatformScenario(), random.Random(7), FIXED_NOW)
    two = build_store(PlatformScenario(), random.Random(7), FIXED_NOW)
    assert one.records == two.records
    deadlines = [r["ship_deadline"] for r in one.records["orders"] if r["status"] == "待发货"]
    today = FIXED_NOW.strftime("%Y-%m-%d 16:00:00")
    assert today in deadlines and any(d < today for d in deadlines) and any(d > today for d in deadlines)
    assert {r["allocation"] for r in one.records["orders"]} >= {"分配完成", "未分配"}
