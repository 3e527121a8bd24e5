"""Synthetic vocabularies for the 上元堂 admin replica: products, made-up people, remark shapes.

Nothing here is real personal data: names are random surname + given-name pairs, phone numbers
sit in the reserved-looking 1380013xxxx block, addresses name a made-up street.
"""

from __future__ import annotations

# (name, spec, price in yuan, prescription-only, traditional Chinese medicine)
PRODUCTS: tuple[tuple[str, str, str, bool, bool], ...] = (
    ("阿莫西林胶囊", "0.25g*24粒", "15.80", True, False),
    ("头孢克肟分散片", "0.1g*6片", "32.60", True, False),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", "24.50", True, False),
    ("盐酸二甲双胍缓释片", "0.5g*30片", "19.90", True, False),
    ("苯磺酸氨氯地平片", "5mg*28片", "33.90", True, False),
    ("阿托伐他汀钙片", "20mg*7片", "41.20", True, False),
    ("左氧氟沙星片", "0.5g*4片", "18.60", True, False),
    ("布洛芬缓释胶囊", "0.3g*20粒", "22.90", False, False),
    ("连花清瘟胶囊", "0.35g*36粒", "29.80", False, False),
    ("维生素C咀嚼片", "100mg*60片", "12.90", False, False),
    ("蒙脱石散", "3g*10袋", "17.50", False, False),
    ("氯雷他定片", "10mg*6片", "18.60", False, False),
    ("感冒灵颗粒", "10g*9袋", "15.60", False, False),
    ("板蓝根颗粒", "10g*20袋", "13.80", False, False),
    ("健胃消食片", "0.8g*32片", "16.50", False, False),
    ("云南白药气雾剂", "85g+60g", "45.80", False, False),
    ("红霉素软膏", "1%*10g", "6.50", False, False),
    ("六味地黄丸", "200丸", "26.00", False, True),
    ("枸杞子", "250g", "39.00", False, True),
    ("当归片", "100g", "28.50", False, True),
    ("黄芪片", "250g", "35.00", False, True),
    ("三七粉", "3g*20袋", "88.00", False, True),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英建华文晨宇欣怡子涵浩然"
CITIES = ("南京市示例区", "苏州市样板区", "无锡市演示区", "常州市测试区", "扬州市虚构区")

CARRIERS_OK = "中通快递"
CARRIERS_OTHER = ("申通快递", "顺丰速运", "韵达快递", "圆通速递", "EMS")

USER_REMARKS = (
    "",
    "",
    "",
    "请尽快发货",
    "麻烦发中通，谢谢",
    "不要放快递柜",
    "需要开发票",
    "下午送货",
    "<b>加急</b>",
)

# Source platforms of re-shipments and how their order numbers look.
RESHIP_PLATFORMS = ("拼多多", "平安健康", "苏宁易购", "药房网")
