"""Synthetic vocabularies and status codes of the 平安健康 seller replica.

Nothing here is real personal data: names are random surname + given-name pairs, phone numbers
are generated and shown masked, addresses stop at the district.
"""

from __future__ import annotations

# (name, pack spec, unit price in fen, prescription-only)
GOODS: tuple[tuple[str, str, int, bool], ...] = (
    ("阿莫西林胶囊", "0.25g*24粒", 1580, True),
    ("布洛芬缓释胶囊", "0.3g*20粒", 2290, False),
    ("氯雷他定片", "10mg*6片", 1860, False),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", 2450, True),
    ("硝苯地平控释片", "30mg*7片", 3680, True),
    ("盐酸二甲双胍片", "0.5g*20片", 1290, True),
    ("感冒清热颗粒", "12g*10袋", 1560, False),
    ("蒲地蓝消炎片", "0.3g*48片", 2380, False),
    ("藿香正气软胶囊", "0.45g*24粒", 1980, False),
    ("阿托伐他汀钙片", "20mg*7片", 4250, True),
    ("左甲状腺素钠片", "50μg*100片", 2870, True),
    ("维生素D滴剂", "400单位*30粒", 3590, False),
    ("枸杞子", "250g", 2600, False),
    ("黄芪饮片", "500g 切片", 4800, False),
    ("血糖试纸", "50片/盒", 9900, False),
    ("医用外科口罩", "10只*5包", 1990, False),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英建华文晨宇欣怡子涵浩然"
MOBILE_PREFIXES = ("138", "139", "136", "150", "151", "186", "187", "135", "177", "159")
PLACES: tuple[tuple[str, str, str], ...] = (
    ("广东省", "深圳市", "福田区"),
    ("上海市", "上海市", "浦东新区"),
    ("浙江省", "杭州市", "余杭区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("四川省", "成都市", "武侯区"),
    ("湖北省", "武汉市", "洪山区"),
    ("北京市", "北京市", "朝阳区"),
    ("山东省", "济南市", "历下区"),
)
BUYER_MEMOS = ("", "", "", "请尽快发货", "周末不在家，请工作日送达", "需要开发票", "请用顺丰", "老人用药，请附说明书")
REFUND_REASONS = ("不想要了", "拍错/多拍", "商品破损", "未按约定时间发货", "药品与描述不符", "医生建议停药")
COMPLAINT_TYPES = (
    ("发货超时", "下单三天了还没发货"),
    ("商品问题", "收到的药品外包装破损"),
    ("服务态度", "客服一直不回复"),
    ("物流问题", "物流信息一直不更新"),
    ("处方问题", "处方审核太慢，影响用药"),
)
DIAGNOSES = ("高血压", "2型糖尿病", "上呼吸道感染", "慢性胃炎", "高脂血症", "甲状腺功能减退")
DOCTORS = ("刘医生", "陈医生", "王医生", "赵医生", "孙医生")
HOSPITAL = "平安互联网医院(合成数据)"
COURIERS = ("中通快递", "圆通速递", "顺丰速运", "京东物流")

# Status codes as the console's gateway uses them, with the text the console shows.
ORDER_STATUS: dict[int, str] = {10: "待接单", 20: "待发货", 30: "已发货", 40: "已完成", 50: "已取消"}
REFUND_STATUS: dict[int, str] = {10: "待商家处理", 20: "退货中", 40: "退款成功", 50: "已关闭"}
REFUND_TYPE: dict[int, str] = {1: "仅退款", 2: "退货退款"}
RX_STATUS: dict[int, str] = {0: "待审核", 1: "已通过", 2: "已驳回"}
COMPLAINT_STATUS: dict[int, str] = {0: "待处理", 1: "已处理"}

# Which status of each list holds the open work (what the dashboard counts).
OPEN_STATUS = {"orders_accept": 10, "orders_ship": 20, "refunds": 10, "prescriptions": 0, "complaints": 0}
