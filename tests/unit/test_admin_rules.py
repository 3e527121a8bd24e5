"""The re-shipment remark rule of the own admin: `平台名 + 原订单号 + 补发 + 商品名`."""

from __future__ import annotations

import pytest

from flows.admin import check_reship_remark

PLATFORMS = ["拼多多", "平安健康", "苏宁易购", "苏宁", "药房网"]


@pytest.mark.parametrize(
    ("remark", "platform", "original", "product"),
    [
        ("拼多多 261124-672850297221479 补发 阿莫西林胶囊", "拼多多", "261124-672850297221479", "阿莫西林胶囊"),
        ("拼多多261124-672850297221479补发阿莫西林胶囊", "拼多多", "261124-672850297221479", "阿莫西林胶囊"),
        ("  苏宁易购  33776817233 补发：蒙脱石散 ", "苏宁易购", "33776817233", "蒙脱石散"),
        ("苏宁 33776817233 补发 蒙脱石散", "苏宁", "33776817233", "蒙脱石散"),
    ],
)
def test_well_formed_remarks_pass_and_are_taken_apart(
    remark: str, platform: str, original: str, product: str
) -> None:
    verdict = check_reship_remark(remark, PLATFORMS)
    assert verdict.ok and verdict.reason == "格式正确"
    assert (verdict.platform, verdict.original_order, verdict.product) == (platform, original, product)


@pytest.mark.parametrize(
    ("remark", "reason"),
    [
        ("", "备注为空"),
        ("   ", "备注为空"),
        ("拼多多 261124-672850297221479 阿莫西林胶囊", "缺少「补发」"),
        ("拼多多 补发 阿莫西林胶囊", "缺少原订单号"),
        ("261124-672850297221479 补发 阿莫西林胶囊", "缺少平台名"),
        ("PDD 261124-672850297221479 补发 阿莫西林胶囊", "开头不是已知平台名：「PDD 261124-672850297221479」"),
        ("拼多多 261124-672850297221479 补发", "「补发」后缺少商品名"),
        ("补发 阿莫西林胶囊 拼多多 261124-672850297221479", "顺序不对：「补发」应在平台名和原订单号之后"),
        ("补发 阿莫西林胶囊", "缺少平台名和原订单号"),
        ("拼多多 客户说没收到 补发 阿莫西林胶囊", "原订单号不像单号：「客户说没收到」"),
    ],
)
def test_malformed_remarks_say_what_is_wrong(remark: str, reason: str) -> None:
    verdict = check_reship_remark(remark, PLATFORMS)
    assert not verdict.ok
    assert verdict.reason == reason


def test_the_product_must_be_one_of_the_orders_products_when_they_are_known() -> None:
    remark = "药房网 2611240000000001 补发 阿莫西林胶囊"
    assert check_reship_remark(remark, PLATFORMS, products=["阿莫西林胶囊"]).ok
    assert check_reship_remark(remark, PLATFORMS, products=["阿莫西林胶囊 0.25g*24粒"]).ok
    wrong = check_reship_remark(remark, PLATFORMS, products=["蒙脱石散"])
    assert not wrong.ok and wrong.reason == "商品名与订单商品不符：「阿莫西林胶囊」"


def test_the_keyword_comes_from_the_caller() -> None:
    assert check_reship_remark("拼多多 261124-1 重发 X", PLATFORMS, word="重发").ok
    assert not check_reship_remark("拼多多 261124-1 补发 X", PLATFORMS, word="重发").ok
