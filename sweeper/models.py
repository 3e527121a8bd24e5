"""The data every part of sweeper passes around: findings, flow results and the run result.

`run.json` is `RunResult.model_dump_json()`; its schema is documented in docs/run-json.md and
`RUN_SCHEMA_VERSION` changes whenever a field changes meaning.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

RUN_SCHEMA_VERSION = 1


class Category(StrEnum):
    """What kind of work a finding asks for. Closed set: the report labels each one in Chinese."""

    OVERDUE_SHIPMENT = "overdue_shipment"
    SHIPMENT_DUE_SOON = "shipment_due_soon"
    AWAITING_SHIPMENT = "awaiting_shipment"
    REFUND_WAITING = "refund_waiting"
    AFTERSALE_DUE_SOON = "aftersale_due_soon"
    COMPLAINT = "complaint"
    PRESCRIPTION_REVIEW = "prescription_review"
    BUYER_MESSAGE = "buyer_message"
    UNALLOCATED = "unallocated"
    STOCK_SHORTAGE = "stock_shortage"
    RX_AWAITING_PAYMENT = "rx_awaiting_payment"
    COD_NOT_ZTO = "cod_not_zto"
    RESHIP_REMARK_MALFORMED = "reship_remark_malformed"
    RETURN_WITHOUT_REMARK = "return_without_remark"
    REMARK_MISSING = "remark_missing"
    TCM_SPEC_CHECK = "tcm_spec_check"


class FactKind(StrEnum):
    """Rows a cross-check needs that are not work in themselves (see sweeper/crosscheck.py)."""

    AWAITING_SHIPMENT = "awaiting_shipment"  # a marketplace order that still has to ship
    ERP_ORDER = "erp_order"  # an order as the ERP/WMS holds it: remark, allocation, carrier


class FlowStatus(StrEnum):
    """How far a platform's sweep got. Only `ok` means "every list was read to the end"."""

    OK = "ok"
    PARTIAL = "partial"
    NEEDS_LOGIN = "needs_login"
    FAILED = "failed"


class Finding(BaseModel):
    """One thing a person has to act on, as read from a platform.

    Fields that could not be parsed stay `None` and their text is kept in `raw`, with a line in
    `problems`: a row is never dropped because one of its cells looks odd.
    """

    model_config = ConfigDict(frozen=True)

    platform: str
    account: str
    category: Category
    order_no: str
    item: str = ""
    amount_yuan: Decimal | None = None
    created_at: datetime | None = None
    deadline_at: datetime | None = None
    seconds_left: int | None = Field(
        default=None, description="deadline_at minus the run's clock; negative when overdue"
    )
    status_text: str = ""
    buyer_memo: str = ""
    customer: str = Field(default="", description="name / phone / address as scraped; masked on render")
    detail: str = ""
    link: str = ""
    problems: list[str] = Field(default_factory=list)
    raw: dict[str, str] = Field(default_factory=dict)
    check: str = Field(default="", description="the cross-check that raised it; empty when a flow did")

    @property
    def identity(self) -> str:
        """What makes two findings of different runs "the same case" (used by history)."""
        return f"{self.platform}/{self.account}/{self.category}/{self.order_no}"


class OrderFact(BaseModel):
    """One order as one system holds it, kept so that rules can compare systems.

    `platform`/`account` name the system that was read; `source` names the marketplace the order
    belongs to when that differs (an ERP row of a Pinduoduo order has platform "hupun", source
    "pdd"). `order_no` is always the marketplace's own order number, the key systems share.
    """

    model_config = ConfigDict(frozen=True)

    platform: str
    account: str
    kind: FactKind
    order_no: str
    source: str = ""
    fields: dict[str, str] = Field(default_factory=dict)

    @property
    def marketplace(self) -> str:
        return self.source or self.platform


class ListTally(BaseModel):
    """What one list of a platform yielded: rows read against what the platform says it holds."""

    name: str
    pages: int = 0
    rows_read: int = 0
    rows_kept: int = 0
    expected: int | None = Field(default=None, description="the platform's own total or counter")
    complete: bool = False
    note: str = ""


class FlowResult(BaseModel):
    """Everything one (platform, account) sweep produced, whatever happened to it."""

    platform: str
    account: str
    label: str = ""
    status: FlowStatus
    reason: str = ""
    fix_command: str = ""
    findings: list[Finding] = Field(default_factory=list)
    lists: list[ListTally] = Field(default_factory=list)
    facts: list[OrderFact] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list, description="paths relative to the run folder")
    started_at: datetime
    duration_s: float = 0.0
    requests: int = 0


class RunResult(BaseModel):
    """The whole sweep: written as run.json and rendered as report.html."""

    schema_version: int = RUN_SCHEMA_VERSION
    run_id: str
    slot: str = ""
    now: datetime = Field(description="the clock deadlines were measured against (Asia/Shanghai)")
    started_at: datetime
    finished_at: datetime
    platforms: list[FlowResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.platforms for f in p.findings]

    @property
    def all_ok(self) -> bool:
        return all(p.status is FlowStatus.OK for p in self.platforms)
