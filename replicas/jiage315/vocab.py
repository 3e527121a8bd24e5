"""Synthetic vocabularies for the 315价格网 replica: products, made-up people, buyer texts.

Nothing here is real personal data: names are random surname + given-name pairs, phone numbers sit
in the 170 virtual-operator block with zeros, member names are "会员" plus digits.
"""

from __future__ import annotations

# (name, spec, price in yuan): what a pharmacy lists on a drug-price comparison site.
PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("布洛芬缓释胶囊", "0.3g*20粒", "16.80"),
    ("连花清瘟胶囊", "0.35g*24粒", "14.50"),
    ("板蓝根颗粒", "10g*20袋", "12.00"),
    ("感冒灵颗粒", "10g*9袋", "13.90"),
    ("氯雷他定片", "10mg*6片", "21.50"),
    ("蒲地蓝消炎片", "0.3g*48片", "26.00"),
    ("藿香正气水", "10ml*10支", "9.80"),
    ("维生素C片", "0.1g*100片", "5.50"),
    ("复方甘草片", "100片", "8.60"),
    ("健胃消食片", "0.8g*32片", "16.50"),
    ("云南白药气雾剂", "85g+60g", "45.80"),
    ("六味地黄丸", "200丸", "26.00"),
    ("阿莫西林胶囊", "0.25g*24粒", "11.20"),
    ("苯磺酸氨氯地平片", "5mg*28片", "36.00"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞婷宇浩然欣怡子轩雨"

MEMOS = ("", "", "", "", "请尽快发货，谢谢", "发中通可以吗", "不要放快递柜", "请开发票", "药品效期要新一点")
REFUND_REASONS = ("拍错/多拍/不想要", "未按约定时间发货", "药品与描述不符", "包装破损", "七天无理由退货")
QUESTIONS = (
    "这个药孕妇可以吃吗？", "什么时候发货？", "可以开发票吗？", "有效期到什么时候？", "能不能便宜一点？",
    "儿童用量是多少？", "和感冒药能一起吃吗？", "价格比别家高，能优惠吗？", "怎么还没到货？",
)
