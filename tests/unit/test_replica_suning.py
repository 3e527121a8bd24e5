"""The Suning replica over real HTTP: CAS-style login across three origins, MOMS pages, faults."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from replicas import available
from replicas.common.scenario import PlatformScenario, Scenario
from replicas.common.server import RunningReplicas, serve_replicas
from replicas.common.site import DEMO_PASSWORD, DEMO_USERNAME

NOW = datetime(2026, 11, 26, 9, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
TO_SHIP = "/moms/delivery/toHaveSoldBabyMain.action?tabtype=3"
WAIT_DELIVERY = "/moms/delivery/toWaittodelivery.action"
ORDER_NO = re.compile(r'class="order-list-orderNum">订单号：(\d+)<')


@dataclass
class Site:
    running: RunningReplicas
    client: httpx.Client

    def url(self, host: str, path: str) -> str:
        return self.running.host_url("suning", host) + path

    def moms(self, path: str) -> str:
        return self.url("moms", path)

    def password_login(self, username: str = DEMO_USERNAME, password: str = DEMO_PASSWORD,
                       **extra: str) -> dict[str, Any]:
        data = {"username": username, "password": password, "service": self.moms("/moms/index.action"),
                "loginTheme": "scs", **extra}
        answer: dict[str, Any] = self.client.post(self.url("mpassport", "/ids/login"), data=data).json()
        return answer

    def login(self) -> httpx.Response:
        answer = self.password_login()
        assert answer["success"], answer
        return self.client.get(answer["redirectUrl"], follow_redirects=True)

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = self.client.get(self.moms("/__replica__/state")).json()
        return data


@contextmanager
def site(**platform: Any) -> Iterator[Site]:
    scenario = Scenario(clock=NOW, platforms={"suning": PlatformScenario(**platform)})
    with serve_replicas(scenario, ["suning"]) as running, httpx.Client(timeout=10) as client:
        yield Site(running, client)


def _page(s: Site, page: int, size: int, path: str = WAIT_DELIVERY, **fields: str) -> httpx.Response:
    data = {"tabtype": "3", "pageNo": str(page), "pageSize": str(size), **fields}
    return s.client.post(s.moms(path), data=data)


def test_spec_declares_three_origins_and_its_faults() -> None:
    spec = available()["suning"]
    assert spec.hosts == ("mpassport", "masc", "moms")
    assert spec.main == "moms"
    for fault in ("session_expired", "challenge_on_login", "account_locked", "empty_lists", "page_500",
                  "slow", "timeout_page", "markup_drift", "busy_page", "count_drift"):
        assert fault in spec.faults


def test_moms_without_a_session_redirects_to_mpassport_with_the_service_url() -> None:
    with site() as s:
        answer = s.client.get(s.moms(TO_SHIP))
        assert answer.status_code == 302
        target = urlsplit(answer.headers["location"])
        assert target.path == "/ids/login"
        query = parse_qs(target.query)
        assert query["service"] == [s.moms(TO_SHIP)]
        assert query["loginTheme"] == ["scs"]
        page = s.client.get(answer.headers["location"]).text
        assert 'id="userName"' in page and 'id="password"' in page and 'id="loginButton"' in page
        assert '<div id="siller" style="display:none">' in page


def test_password_login_hands_moms_a_one_time_ticket_for_its_own_cookie() -> None:
    with site() as s:
        answer = s.password_login()
        assert answer["success"] is True
        ticketed = answer["redirectUrl"]
        assert re.search(r"\?ticket=ST-[0-9a-f]+$", ticketed)
        exchanged = s.client.get(ticketed)
        assert exchanged.status_code == 302
        assert exchanged.headers["location"] == s.moms("/moms/index.action")
        assert "sopSecureToken" in s.client.cookies
        home = s.client.get(exchanged.headers["location"])
        assert home.status_code == 200 and "退出" in home.text and 'id="noticeDialog"' in home.text
        with httpx.Client() as other:  # a replayed ticket is refused
            replay = other.get(ticketed)
            assert replay.status_code == 302 and "/ids/login" in replay.headers["location"]
        assert s.state()["logins"] == 1


def test_wrong_password_is_refused_and_then_the_slider_is_required() -> None:
    with site() as s:
        wrong = s.password_login(password="nope")
        assert wrong == {"success": False, "errorCode": "badPassword.msg1",
                         "res_message": "用户名或密码错误，请重新输入", "needVerifyCode": True}
        again = s.password_login()
        assert again["errorCode"] == "needVerifyCode" and again["needVerifyCode"] is True
        lazy = s.client.post(s.url("mpassport", "/ids/slider/verify"), data={"moves": "1"}).json()
        assert lazy == {"success": False}
        first = s.client.post(s.url("mpassport", "/ids/slider/verify"), data={"moves": "24"}).json()
        assert first["success"] is True
        assert s.password_login(password="nope", sillerToken=first["token"])["errorCode"] == "badPassword.msg1"
        assert s.password_login(sillerToken=first["token"])["errorCode"] == "needVerifyCode"  # one-time
        second = s.client.post(s.url("mpassport", "/ids/slider/verify"), data={"moves": "24"}).json()
        assert s.password_login(sillerToken=second["token"])["success"] is True


def test_challenge_on_login_shows_the_slider_and_requires_it() -> None:
    with site(faults=["challenge_on_login"]) as s:
        page = s.client.get(s.url("mpassport", "/ids/login")).text
        assert '<div id="siller" style="display:block">' in page
        assert s.password_login()["errorCode"] == "needVerifyCode"


def test_locked_account_and_extra_accounts() -> None:
    with site(faults=["account_locked"], fault_args={"account_locked": {"account": DEMO_USERNAME},
                                                     "accounts": {"shop-2": "pw-2"}}) as s:
        locked = s.password_login()
        assert locked["errorCode"] == "lockedUser" and "锁定" in locked["res_message"]
        assert s.password_login("shop-2", "pw-2")["success"] is True


def test_unknown_device_gets_an_sms_step_on_masc_then_is_trusted() -> None:
    with site(known_device=False) as s:
        s.client.get(s.url("mpassport", "/ids/login"))  # the login page hands out the device cookie
        answer = s.password_login()
        sms_url = answer["redirectUrl"]
        assert sms_url.startswith(s.url("masc", "/masc/login/phoneValidate.htm?pk="))
        page = s.client.get(sms_url).text
        assert 'id="getPhoneValCode"' in page and 'id="validateCode"' in page and 'class="activeOrg"' in page
        pk = parse_qs(urlsplit(sms_url).query)["pk"][0]
        assert s.client.post(s.url("masc", "/masc/login/sendCode"), data={"pk": pk}).json()["success"]
        outbox = s.client.get(s.url("masc", "/__replica__/sms")).json()["messages"]
        code = outbox[-1]["code"]
        assert re.fullmatch(r"\d{6}", code) and code in outbox[-1]["text"]
        bad = s.client.post(s.url("masc", "/masc/login/validate"), data={"pk": pk, "code": "x"}).json()
        assert bad == {"success": False, "msg": "短信验证码错误"}
        good = s.client.post(s.url("masc", "/masc/login/validate"), data={"pk": pk, "code": code}).json()
        assert "ticket=ST-" in good["redirectUrl"]
        assert "退出" in s.client.get(good["redirectUrl"], follow_redirects=True).text
        assert "ticket=ST-" in s.password_login()["redirectUrl"]  # this device is now known


def test_to_ship_tab_counts_blocks_and_pages_like_moms() -> None:
    with site() as s:
        s.login()
        first = s.client.get(s.moms(TO_SHIP)).text
        assert '<div id="tabdiv"><span class="tab-label">未发货：45</span>' in first
        assert len(ORDER_NO.findall(first)) == 20
        assert "共45条 第1/3页" in first
        assert "jumpPage('queryForm',2," in first and 'class="next"' in first
        assert re.search(r'<td class="amount">¥\d+\.\d{2}</td>', first)
        assert re.search(r'<em class="promise-time">2026-11-\d\d \d\d:\d\d:\d\d</em>', first)
        assert re.search(r'<em class="remain-time">(\d+天\d+小时\d+分|已超时)</em>', first)
        last = _page(s, 3, 20).text
        assert "共45条 第3/3页" in last and len(ORDER_NO.findall(last)) == 5
        assert 'class="next"' not in last
        everything = _page(s, 1, 100).text
        numbers = ORDER_NO.findall(everything)
        assert len(numbers) == 45 == len(set(numbers)) and "第1/1页" in everything
        assert "共45条 第1/3页" in _page(s, 1, 37).text  # not an offered size: back to 20


def test_unpaid_tab_and_tables_have_their_counters() -> None:
    with site() as s:
        s.login()
        unpaid = s.client.get(s.moms("/moms/delivery/toNoPayOrders.action")).text
        assert "未付款：30" in unpaid and '<span class="rx-tag">处方药</span>' in unpaid
        review = s.client.get(s.moms("/moms/aftersale/afterSaleList.action?status=1")).text
        assert '<li class="cur"><a href="/moms/aftersale/afterSaleList.action?status=1">待审核(<em>32</em>)' in review
        assert re.search(r'<td class="c-remain">\d+天\d+小时\d+分</td>', review)
        receive = s.client.get(s.moms("/moms/aftersale/afterSaleList.action?status=2")).text
        assert '<td class="c-remain">—</td>' in receive and "买家已退货，待商家收货" in receive
        complaints = s.client.get(s.moms("/moms/complaint/complaintList.action?status=0")).text
        assert "待处理(<em>30</em>)" in complaints and 'class="c-deadline">2026-11-' in complaints
        rx = s.client.get(s.moms("/moms/prescription/list.action?status=0")).text
        assert "待审核(<em>30</em>)" in rx and rx.count('<tr class="list-row">') == 20


def test_two_thousand_items_page_to_the_end() -> None:
    with site(items=2000) as s:
        s.login()
        last = _page(s, 20, 100).text
        assert "共2000条 第20/20页" in last and len(ORDER_NO.findall(last)) == 100
        beyond = _page(s, 99, 100).text
        assert "第20/20页" in beyond  # a page past the end shows the last page


def test_scenario_records_are_merged_on_top_with_malformed_values_unchanged() -> None:
    added = [{"orderNo": "30000000001", "promiseTime": "明天下午", "amount": "abc",
              "buyerMemo": "<script>alert(1)</script>"}]
    replaced = [{"complaintNo": "TS2611260000001", "deadline": "2026-11-26 12:00:00"}]
    with site(add={"to_ship": added}, replace={"complaints": replaced}) as s:
        s.login()
        page = s.client.get(s.moms(TO_SHIP)).text
        assert ORDER_NO.findall(page)[0] == "30000000001"
        assert "未发货：46" in page
        assert '<em class="promise-time">明天下午</em>' in page and '<em class="remain-time">—</em>' in page
        assert '<td class="amount">abc</td>' in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
        complaints = s.client.get(s.moms("/moms/complaint/complaintList.action")).text
        assert "待处理(<em>1</em>)" in complaints and "TS2611260000001" in complaints


def test_page_500_and_busy_page_hit_only_their_page() -> None:
    faults = {"page_500": {"list": "to_ship", "page": 2}, "busy_page": {"list": "complaints", "page": 1}}
    with site(faults=list(faults), fault_args=faults) as s:
        s.login()
        assert s.client.get(s.moms(TO_SHIP)).status_code == 200
        broken = _page(s, 2, 20)
        assert broken.status_code == 500 and "系统异常" in broken.text
        busy = s.client.get(s.moms("/moms/complaint/complaintList.action?status=0"))
        assert busy.status_code == 200 and "系统繁忙" in busy.text and "list-row" not in busy.text


def test_timeout_page_holds_the_answer_then_gives_up() -> None:
    args = {"timeout_page": {"list": "to_ship", "page": 1, "hold_s": 0.5}}
    with site(faults=["timeout_page"], fault_args=args) as s:
        s.login()
        with pytest.raises(httpx.ReadTimeout):
            s.client.get(s.moms(TO_SHIP), timeout=0.2)
        held = s.client.get(s.moms(TO_SHIP))
        assert held.status_code == 504


def test_slow_adds_its_delay_to_moms_pages() -> None:
    with site(faults=["slow"], fault_args={"slow": {"ms": 300}}) as s:
        s.login()
        started = time.monotonic()
        assert s.client.get(s.moms(TO_SHIP)).status_code == 200
        assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(
    ("what", "gone", "renamed"),
    [("order_num", 'class="order-list-orderNum"', 'class="order-list-orderNum-v2"'),
     ("tabdiv", 'id="tabdiv"', 'id="tabdiv-v2"'),
     ("next", 'class="next"', 'class="next-v2"')],
)
def test_markup_drift_renames_one_hook(what: str, gone: str, renamed: str) -> None:
    with site(faults=["markup_drift"], fault_args={"markup_drift": {"what": what}}) as s:
        s.login()
        page = s.client.get(s.moms(TO_SHIP)).text
        assert gone not in page and renamed in page


def test_markup_drift_can_rename_the_login_button() -> None:
    with site(faults=["markup_drift"], fault_args={"markup_drift": {"what": "login_button"}}) as s:
        page = s.client.get(s.url("mpassport", "/ids/login")).text
        assert 'id="loginButton"' not in page and 'id="loginButton-v2"' in page


def test_count_drift_and_empty_lists() -> None:
    with site(faults=["count_drift"], fault_args={"count_drift": {"list": "to_ship", "delta": 2}}) as s:
        s.login()
        page = s.client.get(s.moms(TO_SHIP)).text
        assert "未发货：47" in page and "共45条" in page
    with site(faults=["empty_lists"]) as s:
        s.login()
        page = s.client.get(s.moms(TO_SHIP)).text
        assert "未发货：0" in page and "暂无数据" in page and "共0条 第1/1页" in page
        assert ORDER_NO.findall(page) == []


def test_session_expired_counts_list_pages_per_session() -> None:
    with site(faults=["session_expired"], fault_args={"session_expired": {"after_requests": 2}}) as s:
        s.login()
        assert s.client.get(s.moms("/moms/index.action")).status_code == 200  # home does not count
        assert _page(s, 1, 20).status_code == 200
        assert _page(s, 2, 20).status_code == 200
        third = _page(s, 3, 20)
        assert third.status_code == 302
        assert "/ids/login?service=" in third.headers["location"]
        assert "toWaittodelivery.action" in parse_qs(urlsplit(third.headers["location"]).query)["service"][0]


def test_forced_expiry_and_runtime_fault_switch() -> None:
    with site() as s:
        s.login()
        assert s.client.get(s.moms(TO_SHIP)).status_code == 200
        assert s.client.post(s.moms("/__replica__/expire")).json() == {"expired": 1}
        assert s.client.get(s.moms(TO_SHIP)).status_code == 302
        switched = s.client.post(s.moms("/__replica__/faults"), json={"faults": ["challenge_on_login"]})
        assert switched.json() == {"faults": ["challenge_on_login"]}
        assert s.password_login()["errorCode"] == "needVerifyCode"


def test_detail_pages_and_notice_dismissal() -> None:
    with site() as s:
        s.login()
        page = s.client.get(s.moms(TO_SHIP)).text
        number = ORDER_NO.findall(page)[0]
        ship = s.client.get(s.moms(f"/moms/delivery/toDeliveryGoods.action?pagetype=1&b2corderNos={number}"))
        assert number in ship.text and "manySelfLogisticsfun" in ship.text and "fh-center" in ship.text
        missing = s.client.get(s.moms("/moms/order/orderDetail.action?orderNo=1"))
        assert "不存在" in missing.text
        assert s.client.post(s.moms("/moms/notice/read.action")).json() == {"success": True}
        assert 'id="noticeDialog"' not in s.client.get(s.moms("/moms/index.action")).text
