"""The data every part of sweeper passes around: findings, flow results and the run result.

`run.json` is `RunResult.model_dump_json()`; its schema is documented in docs/run-json.md and
`RUN_SCHEMA_VERSION` changes whenever a field changes meaning.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

RUN_SCHEMA_VERSION = 2


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
    role: str = Field(default="marketplace", description='"erp": the system cross-checks compare against')
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
    session_expiry: datetime | None = Field(
        default=None, description="when the saved session will likely be refused (observed lifetime)"
    )

    def __repr__(self) -> str:
        # A summary, not every row: a repr ends up in tracebacks and asyncio's messages (scraped
        # customer data has no place there), and pydantic's full one of 10,000 findings costs seconds.
        return (f"FlowResult({self.platform}/{self.account}: {self.status.value}, "
                f"{len(self.findings)} findings, {len(self.facts)} facts)")


class CheckStatus(StrEnum):
    """Whether a cross-check's silence can be trusted."""

    CHECKED = "checked"  # every system it needs was read to the end: no finding means a match
    PARTIAL = "partial"  # some marketplaces could not be read; the others were compared
    NOT_CHECKED = "not_checked"  # the ERP or every marketplace failed: "could not check", never "ok"


class CheckResult(BaseModel):
    """One rule comparing systems (see sweeper/crosscheck.py), and what it found."""

    name: str
    status: CheckStatus
    compared: list[str] = Field(default_factory=list, description="platform keys whose rows were compared")
    unchecked: dict[str, str] = Field(default_factory=dict, description="platform key -> why it was not")
    checked: int = Field(default=0, description="orders compared")
    listed_elsewhere: int = Field(default=0, description="mismatches a flow already reported")
    findings: list[Finding] = Field(default_factory=list)


class RunResult(BaseModel):
    """The whole sweep: written as run.json and rendered as report.html."""

    schema_version: int = RUN_SCHEMA_VERSION
    run_id: str
    slot: str = ""
    now: datetime = Field(description="the clock deadlines were measured against (Asia/Shanghai)")
    started_at: datetime
    finished_at: datetime
    platforms: list[FlowResult]
    checks: list[CheckResult] = Field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """What people must act on: every flow's findings, then every cross-check's."""
        return [f for p in self.platforms for f in p.findings] + [f for c in self.checks for f in c.findings]

    @property
    def all_ok(self) -> bool:
        return all(p.status is FlowStatus.OK for p in self.platforms)

    def __repr__(self) -> str:
        # Short for the reasons of FlowResult's. Measured: asyncio.run() reprs its finished main task
        # (restoring SIGINT), and the full repr of a 125,000-row sweep took 2.5 s of the run.
        return f"RunResult({self.run_id}: {', '.join(repr(p) for p in self.platforms)})"
