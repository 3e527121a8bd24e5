"""Synthetic vocabularies of the 闻康商城 store-admin replica: goods, made-up buyers, texts.

Nothing here is real personal data: receiver names are random surname + given-name pairs,
phone numbers sit in the 1380013xxxx block and are masked the way the list shows them,
addresses name made-up districts and streets.
"""

from __future__ import annotations

# (goods name, spec, price in yuan)
GOODS: tuple[tuple[str, str, str], ...] = (
    ("布洛芬缓释胶囊", "0.3g*24粒", "19.80"),
    ("连花清瘟胶囊", "0.35g*24粒", "23.50"),
    ("复方丹参滴丸", "27mg*180丸", "36.00"),
    ("氯雷他定片", "10mg*6片", "16.90"),
    ("蒙脱石散", "3g*10袋", "18.50"),
    ("维生素B族片", "100片", "29.90"),
    ("葡萄糖酸钙口服溶液", "10ml*24支", "32.00"),
    ("健胃消食片", "0.5g*36片", "12.80"),
    ("藿香正气水", "10ml*10支", "9.90"),
    ("医用外科口罩", "10只*5包", "25.00"),
    ("电子体温计", "MT101", "39.00"),
    ("红霉素眼膏", "0.5%*2g", "5.60"),
    ("阿奇霉素片", "0.25g*6片", "28.40"),
    ("硝苯地平控释片", "30mg*7片", "42.70"),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英建华文晨宇欣怡子涵浩然"
PROVINCES = ("北京市示例区", "河北省样板市", "山东省演示市", "河南省虚构市", "广东省测试市")
NICK_PREFIX = ("wk_", "闻康用户", "yao", "jk")

BUYER_REMARKS = ("", "", "", "", "请尽快发货", "不要放快递柜", "需要发票，抬头个人", "请用顺丰", "周末送货")

REFUND_REASONS = (
    "拍错/多拍/不想要", "未按约定时间发货", "药品与描述不符", "包装破损", "商品过期或临期", "医生建议更换药品",
)

CONSULT_TEXTS = (
    "请问这个药孕妇可以吃吗？",
    "饭前吃还是饭后吃？",
    "一天吃几次，一次几粒？",
    "儿童能用吗，几岁以上？",
    "和降压药能一起吃吗？",
    "有效期到什么时候？",
    "今天下单什么时候能发货？",
    "可以开发票吗？",
)

REPLIES = ("您好，请遵医嘱或按说明书服用。", "您好，今天16点前下单当天发货。", "您好，可以开具电子发票。")
