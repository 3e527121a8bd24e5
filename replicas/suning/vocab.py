"""Synthetic vocabularies for the Suning replica: drugs, made-up buyers, texts.

Nothing here is real personal data: buyer names are a random surname plus "**" (as the back-end
masks them), phone numbers are generated and masked.
"""

from __future__ import annotations

# (name with pack spec, unit price in yuan as text, prescription-only)
GOODS: tuple[tuple[str, str, bool], ...] = (
    ("阿莫西林胶囊 0.25g*24粒", "15.80", True),
    ("布洛芬缓释胶囊 0.3g*20粒", "22.90", False),
    ("头孢克肟分散片 0.1g*6片", "32.60", True),
    ("维生素C咀嚼片 100mg*60片", "12.90", False),
    ("蒙脱石散 3g*10袋", "17.50", False),
    ("氯雷他定片 10mg*6片", "18.60", False),
    ("奥美拉唑肠溶胶囊 20mg*14粒", "24.50", True),
    ("硝苯地平缓释片 20mg*30片", "26.80", True),
    ("盐酸二甲双胍缓释片 0.5g*30片", "19.90", True),
    ("感冒灵颗粒 10g*9袋", "15.60", False),
    ("板蓝根颗粒 10g*20袋", "13.80", False),
    ("健胃消食片 0.8g*32片", "16.50", False),
    ("阿奇霉素片 0.25g*6片", "28.70", True),
    ("苯磺酸氨氯地平片 5mg*28片", "33.90", True),
    ("红霉素软膏 1%*10g", "6.50", False),
    ("医用外科口罩 10只*5包", "19.90", False),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
MOBILE_PREFIXES = ("138", "139", "136", "150", "151", "186", "187", "135", "177", "159")

BUYER_MEMOS = (
    "", "", "", "", "请尽快发货，谢谢", "麻烦发顺丰", "需要开发票", "老人用药，请附说明书",
    "周末不在家，请放驿站", "请核对有效期，要新批号",
)
PAY_TYPES = ("在线支付", "在线支付", "在线支付", "货到付款")

AFTERSALE_KINDS = ("仅退款", "退货退款")
AFTERSALE_REASONS = ("不想要了", "药品破损/包装问题", "发错货", "效果不好", "未按约定时间发货")
# 待审核: the merchant must approve; 待收货: waiting for the buyer's parcel or the merchant's receipt.
STATUS_REVIEW = "待商家审核"
STATUS_BUYER_RETURNING = "待买家退货"
STATUS_MERCHANT_RECEIPT = "买家已退货，待商家收货"
STATUS_DONE = ("退款成功", "已关闭")

COMPLAINT_KINDS = ("发货超时", "商品与描述不符", "药品临近效期", "少件/漏发", "物流停滞", "服务态度")
COMPLAINT_TEXTS = (
    "下单三天了还没发货", "收到的和图片不一样", "有效期只剩两个月", "少发了一盒", "物流一直不动",
    "客服不回复消息",
)
HOSPITALS = ("示例互联网医院", "演示健康互联网医院", "样例中医互联网医院")
DOCTORS = "李张王陈赵周"

SHOP_NAME = "演示大药房苏宁自营店"
NOTICE = "关于双十二大促期间发货时效的通知：请各商家于承诺时间内完成发货，超时将按规则处理。"
