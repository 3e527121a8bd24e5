"""Synthetic vocabularies of the 万里牛 replica: shops, products (incl. TCM), carriers, WMS states.

Nothing here is real personal data: names are random surname + given-name pairs and phone numbers
are shown masked, as the ERP shows them. Platform names are what the ERP shows in its 平台 column.
"""

from __future__ import annotations

# Replica key of each marketplace -> (平台 as the ERP shows it, the shop's nick in the ERP).
PLATFORMS: dict[str, tuple[str, str]] = {
    "pdd": ("拼多多", "上元堂大药房拼多多店"),
    "pingan": ("平安健康", "上元堂平安健康旗舰店"),
    "suning": ("苏宁易购", "上元堂苏宁自营药房"),
    "yaofangwang": ("药房网", "上元堂大药房（药房网）"),
    "admin": ("官网", "上元堂官网商城"),
    "xywy": ("寻医问药", "上元堂闻康商城店"),
    "jiage315": ("315价格网", "上元堂315药店"),
}
# A shop the ERP pulls orders from that sweeper has no platform key for.
UNKNOWN_SHOP = ("抖音", "上元堂抖音小店")

# (name, 规格, price in yuan, category). Categories 中药饮片 / 配方颗粒 carry the 中药 marker.
TCM_CATEGORIES = ("中药饮片", "配方颗粒")
PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    ("阿莫西林胶囊", "0.25g*24粒", "15.80", "西药"),
    ("布洛芬缓释胶囊", "0.3g*20粒", "22.90", "西药"),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", "24.50", "西药"),
    ("氯雷他定片", "10mg*6片", "18.60", "西药"),
    ("蒙脱石散", "3g*10袋", "17.50", "西药"),
    ("维生素C咀嚼片", "100mg*60片", "12.90", "保健食品"),
    ("连花清瘟胶囊", "0.35g*36粒", "29.80", "中成药"),
    ("感冒灵颗粒", "10g*9袋", "15.60", "中成药"),
    ("六味地黄丸", "200丸", "26.00", "中成药"),
    ("云南白药气雾剂", "85g+60g", "45.80", "中成药"),
    ("当归片", "10g*1袋", "8.50", "中药饮片"),
    ("黄芪片", "20g*1袋", "9.80", "中药饮片"),
    ("枸杞子", "250g*1袋", "39.00", "中药饮片"),
    ("三七粉", "3g*20袋", "88.00", "中药饮片"),
    ("金银花配方颗粒", "1g*10袋", "21.00", "配方颗粒"),
    ("茯苓配方颗粒", "10g*1袋", "12.60", "配方颗粒"),
)
TCM_PRODUCTS = tuple(p for p in PRODUCTS if p[3] in TCM_CATEGORIES)
PLAIN_PRODUCTS = tuple(p for p in PRODUCTS if p[3] not in TCM_CATEGORIES)

ZTO = "中通快递"
STO = "申通快递"
CARRIERS = (ZTO, ZTO, STO, "顺丰速运", "韵达快递", "圆通速递", "邮政EMS")

PAY_ONLINE, PAY_COD = "在线支付", "货到付款"
TYPE_NORMAL, TYPE_RESHIP, TYPE_AFTERSALE = "普通", "补发", "售后"

# ERP order statuses (open API `status` 0..10, shown as text); the first six are not shipped yet.
ERP_AUDIT, ERP_IN_WMS = "订单审核", "打单配货"
ERP_OPEN = (ERP_AUDIT, ERP_IN_WMS, "验货", "称重", "待发货", "财审")
ERP_SHIPPED, ERP_DONE, ERP_CLOSED = "已发货", "交易成功", "交易关闭"

# WMS B2C outbound states (docs/platforms.md §8) and the ones that still lack an allocation.
WMS_POOL, WMS_LOCK_FAILED, WMS_HELD, WMS_SHORT = "待分配", "锁库失败", "挂起", "缺货"
WMS_ALLOCATED, WMS_WAVE, WMS_SINGLE, WMS_TO_PICK = "已分配", "波次打单", "零拣打单", "待拣货"
WMS_TO_SHIP, WMS_SHIPPED = "待出库", "已出库"
WMS_EXCEPTIONS = (WMS_LOCK_FAILED, WMS_HELD, WMS_SHORT)
WMS_ALLOCATED_STATES = (WMS_ALLOCATED, WMS_WAVE, WMS_SINGLE, WMS_TO_PICK, WMS_TO_SHIP)

POOL_REASON = "等待波次策略自动生成波次（最长等待60分钟）"
HELD_REASONS = ("ERP订单申请退款，自动挂起", "人工挂起：等待客户确认收货地址")
SHORT_REASON = "拣货报缺：{item} 库位 A-{row:02d}-{col:02d} 实物不足"
LOCK_REASON = "库存不足：{item} 可用 0，需 {qty}"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英建华文晨宇欣怡子涵浩然"
CITIES = ("江苏省南京市", "江苏省苏州市", "浙江省杭州市", "安徽省合肥市", "上海市浦东新区")

BUYER_MESSAGES = (
    "请尽快发货，谢谢",
    "麻烦发中通",
    "不要放快递柜",
    "需要开发票，抬头见留言",
    "药品请帮忙多包一层",
    "下午送货",
)
RETURN_REMARK = "退货退款，已拦截 {carrier} 运单 {waybill}，拦截失败请拒收"
REFUND_REMARK = "仅退款，已挂起暂停发货"
RESHIP_REMARK = "{platform} {original} 补发 {product}"
MEMO_REMARKS = ("已按买家留言处理", "已联系买家确认，照常发货", "已备注仓库：多包一层")
