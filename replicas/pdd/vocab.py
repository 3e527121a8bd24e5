"""Synthetic vocabularies for the PDD replica: drug names, made-up people, places, texts.

Nothing here is real personal data: names are random surname + given-name combinations, phone
numbers are generated and masked, addresses stop at the district.
"""

from __future__ import annotations

# (name, pack spec, unit price in fen, prescription-only)
GOODS: tuple[tuple[str, str, int, bool], ...] = (
    ("阿莫西林胶囊", "0.25g*24粒", 1580, True),
    ("布洛芬缓释胶囊", "0.3g*20粒", 2290, False),
    ("连花清瘟胶囊", "0.35g*36粒", 2980, False),
    ("头孢克肟分散片", "0.1g*6片", 3260, True),
    ("维生素C咀嚼片", "100mg*60片", 1290, False),
    ("复方甘草片", "100片", 890, False),
    ("蒙脱石散", "3g*10袋", 1750, False),
    ("氯雷他定片", "10mg*6片", 1860, False),
    ("奥美拉唑肠溶胶囊", "20mg*14粒", 2450, True),
    ("硝苯地平缓释片", "20mg*30片", 2680, True),
    ("盐酸二甲双胍缓释片", "0.5g*30片", 1990, True),
    ("感冒灵颗粒", "10g*9袋", 1560, False),
    ("板蓝根颗粒", "10g*20袋", 1380, False),
    ("藿香正气水", "10ml*10支", 1180, False),
    ("健胃消食片", "0.8g*32片", 1650, False),
    ("阿奇霉素片", "0.25g*6片", 2870, True),
    ("苯磺酸氨氯地平片", "5mg*28片", 3390, True),
    ("云南白药气雾剂", "85g+60g", 4580, False),
    ("红霉素软膏", "1%*10g", 650, False),
    ("医用外科口罩", "10只*5包", 1990, False),
)
PACKS: tuple[str, ...] = ("1盒", "1盒", "2盒装", "3盒装 疗程装")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英建华文晨宇欣怡子涵浩然"
MOBILE_PREFIXES = ("138", "139", "136", "150", "151", "186", "187", "135", "177", "159")

PLACES: tuple[tuple[str, str, str], ...] = (
    ("浙江省", "杭州市", "西湖区"),
    ("广东省", "深圳市", "南山区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("四川省", "成都市", "武侯区"),
    ("湖北省", "武汉市", "洪山区"),
    ("山东省", "青岛市", "市南区"),
    ("上海市", "上海市", "浦东新区"),
    ("北京市", "北京市", "朝阳区"),
    ("河南省", "郑州市", "金水区"),
    ("福建省", "厦门市", "思明区"),
    ("湖南省", "长沙市", "岳麓区"),
    ("陕西省", "西安市", "雁塔区"),
)

NICK_ADJ = ("快乐的", "安静的", "爱笑的", "认真的", "勇敢的", "温柔的")
NICK_NOUN = ("小猫", "松鼠", "向日葵", "橘子", "海豚", "白云")

BUYER_MEMOS = (
    "", "", "", "", "请尽快发货，谢谢", "麻烦发顺丰", "需要开发票", "老人用药，请附说明书",
    "周末不在家，请放驿站", "请核对有效期，要新批号",
)
MALL_REMARKS = ("", "", "", "已联系买家", "缺货待补", "核对处方后发")

# After-sales titles: (title, type, internal status code, waiting on the merchant)
AFTERSALE_TITLES: tuple[tuple[str, int, int, bool], ...] = (
    ("仅退款，待商家处理", 1, 2, True),
    ("退货退款，待商家处理", 2, 3, True),
    ("退货退款，待商家确认收货", 2, 11, True),
    ("已同意退货退款，待用户发货", 2, 7, False),
    ("退款成功", 1, 10, False),
    ("已撤销", 2, 14, False),
)
AFTERSALE_TYPE_NAMES = {1: "仅退款", 2: "退货退款", 3: "换货", 4: "补寄", 5: "维修"}
AFTERSALE_REASONS: tuple[tuple[int, str], ...] = (
    (1, "不想要了"), (2, "药品破损/包装问题"), (3, "发错货"), (4, "效果不好"), (5, "未按约定时间发货"),
)

WORK_ORDER_PROBLEMS: tuple[tuple[str, int], ...] = (
    ("买家投诉：发货慢", 1),
    ("买家投诉：商品与描述不符", 2),
    ("买家投诉：未按约定时间发货", 1),
    ("物流停滞", 3),
    ("买家投诉：药品临近效期", 4),
    ("买家投诉：少件/漏发", 5),
    ("平台介入：退款纠纷", 6),
)
WORK_ORDER_STATUS = {1: "待处理", 2: "处理中", 3: "已完结"}
PRESCRIPTION_STATUS = {0: "待审核", 1: "已通过", 2: "已驳回"}
HOSPITALS = ("示例互联网医院", "演示健康互联网医院", "样例中医互联网医院")

SHOP_NAME = "演示大药房旗舰店"
