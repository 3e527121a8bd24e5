"""The report's Chinese words for the engine's closed sets."""

from __future__ import annotations

from sweeper.models import Category, CheckStatus, FlowStatus

CATEGORY_LABELS: dict[Category, str] = {
    Category.OVERDUE_SHIPMENT: "发货超时",
    Category.SHIPMENT_DUE_SOON: "即将超时发货",
    Category.AWAITING_SHIPMENT: "待发货（平台收款）",
    Category.REFUND_WAITING: "退款/售后待处理",
    Category.AFTERSALE_DUE_SOON: "售后即将超时",
    Category.COMPLAINT: "投诉/工单",
    Category.PRESCRIPTION_REVIEW: "处方待审核",
    Category.BUYER_MESSAGE: "买家留言待回复",
    Category.UNALLOCATED: "WMS未分配",
    Category.STOCK_SHORTAGE: "库存不足",
    Category.RX_AWAITING_PAYMENT: "待付款含处方药",
    Category.COD_NOT_ZTO: "货到付款未用中通",
    Category.RESHIP_REMARK_MALFORMED: "补发备注不规范",
    Category.RETURN_WITHOUT_REMARK: "退货未在万里牛备注",
    Category.REMARK_MISSING: "缺少备注",
    Category.TCM_SPEC_CHECK: "中药规格待核对",
}

STATUS_LABELS: dict[FlowStatus, str] = {
    FlowStatus.OK: "正常",
    FlowStatus.PARTIAL: "部分完成",
    FlowStatus.NEEDS_LOGIN: "需要登录",
    FlowStatus.FAILED: "失败",
}

# What a status means for the reader: is an empty list trustworthy?
STATUS_MEANING: dict[FlowStatus, str] = {
    FlowStatus.OK: "已全部检查",
    FlowStatus.PARTIAL: "只检查了一部分，以下数字不完整",
    FlowStatus.NEEDS_LOGIN: "未能检查：登录已失效",
    FlowStatus.FAILED: "未能检查",
}

CHECK_LABELS: dict[str, str] = {
    "return_remark": "退货/退款是否已在万里牛备注",
    "wms_allocation": "待发货订单是否已在 WMS 分配",
    "cod_carrier": "货到付款订单是否使用中通快递",
}

CHECK_STATUS_LABELS: dict[CheckStatus, str] = {
    CheckStatus.CHECKED: "已核对",
    CheckStatus.PARTIAL: "部分核对",
    CheckStatus.NOT_CHECKED: "未能核对",
}

# A checklist line's state, for the reader of the paper-checklist section.
LINE_NONE = "无（已确认）"
LINE_NOT_CHECKED = "未能检查"
LINE_INCOMPLETE = "不完整"
LINE_DISABLED = "未启用"
LINE_MANUAL = "人工处理"
