"""Replica of the 平安健康 (jk.cn) seller console. Facts: docs/platforms.md §2 and §10.2.

An SPA under `/sell/#/…` that loads everything through one gateway, `POST /m.api?_mt=<method>`
(form-encoded, signed with `_sig`; envelope `{stat: {code, stateList}, content: [...]}`; an invalid
token is `stat.code` -360 with HTTP 200, after which the SPA sends the browser to `/login`).
Times are unix ms, money is fen. Routes: see `app.py`; gateway methods: see `gateway.py`.

Scenario switches (`[platforms.pingan]`):
    items                  open records per list (待接单, 待发货, 待处理售后, 待审核处方, 待处理投诉)
    session_lifetime_s     how long a `_wtk` token lives (the real one: about 8 h)
    known_device           true (default): the seller's browser is remembered, as after ticking
                           记住此设备, so the login page shows no captcha; false: 4-char image captcha
    add.<list> / replace.<list>   lists: orders, refunds, prescriptions, complaints (gateway field names)
    fault_args.accounts    {name = password} accepted besides the demo account

Faults (`faults = [...]`, arguments in `fault_args.<fault>`):
    session_expired {after_requests=0}   every token dies after that many authenticated gateway calls
    challenge_on_login                   the image captcha is required (a human must read it)
    account_locked {account?}            login answers "账号已被锁定"
    empty_lists                          every list and counter is empty
    page_500 {list, page}                that page of that list answers HTTP 500
    timeout_page {list, page, ms=60000}  that page hangs `ms`, then 504 Gateway Time-out
    gateway_error {list, page}           that page answers HTTP 200 with stat.code -100 (系统繁忙)
    slow {ms=1000}                       every answer waits `ms`
    markup_drift {what=home}             home | pager | page_size | login: one hook renamed
    stale_counters {list, delta=1}       a dashboard counter disagrees with its list
    drop_rows {list, page, n=1}          that page returns n rows fewer than its total promises
    list_modal                           a second 平台公告 shows over the first list view opened
    list_shift {list}                    a new record lands on top between the list's page 1 and page 2
    date_format                          list times are day-first text, "26/11/2026 09:20" (common/faults.py)
`list` for page faults: orders, orders_accept, orders_ship, refunds, prescriptions, complaints.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp

from replicas.common.site import ReplicaEnv, ReplicaSpec
from replicas.pingan.app import build_app

FAULTS = (
    "session_expired", "challenge_on_login", "account_locked", "empty_lists", "page_500",
    "timeout_page", "gateway_error", "slow", "markup_drift", "stale_counters", "drop_rows",
    "list_modal", "list_shift", "date_format",
)


def build(env: ReplicaEnv) -> Mapping[str, ASGIApp]:
    return {"www": build_app(env)}


REPLICA = ReplicaSpec(key="pingan", hosts=("www",), main="www", build=build, faults=FAULTS)
