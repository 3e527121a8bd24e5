"""Deadlines and urgency: pure functions over findings, measured against the run's clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sweeper.models import Category, Finding, ListTally

# Order of the report when deadlines do not decide: what costs money or a penalty first.
CATEGORY_PRIORITY: tuple[Category, ...] = (
    Category.OVERDUE_SHIPMENT,
    Category.AFTERSALE_DUE_SOON,
    Category.SHIPMENT_DUE_SOON,
    Category.COMPLAINT,
    Category.REFUND_WAITING,
    Category.PRESCRIPTION_REVIEW,
    Category.UNALLOCATED,
    Category.STOCK_SHORTAGE,
    Category.COD_NOT_ZTO,
    Category.RETURN_WITHOUT_REMARK,
    Category.RX_AWAITING_PAYMENT,
    Category.RESHIP_REMARK_MALFORMED,
    Category.BUYER_MESSAGE,
    Category.AWAITING_SHIPMENT,
    Category.REMARK_MISSING,
    Category.TCM_SPEC_CHECK,
)
_RANK = {c: i for i, c in enumerate(CATEGORY_PRIORITY)}


def with_time_left(finding: Finding, now: datetime) -> Finding:
    if finding.deadline_at is None:
        return finding
    left = int((finding.deadline_at - now).total_seconds())
    return finding.model_copy(update={"seconds_left": left})


def urgency_key(finding: Finding) -> tuple[int, float, int, str]:
    """Overdue first (most overdue on top), then flagged rows, then by deadline, then the rest."""
    left = finding.seconds_left
    if left is not None and left < 0:
        bucket = 0
    elif finding.problems:
        bucket = 1  # a row we could not fully read must be looked at by a person
    elif left is not None:
        bucket = 2
    else:
        bucket = 3
    rank = _RANK.get(finding.category, len(_RANK))
    return (bucket, float(left) if left is not None else 0.0, rank, finding.order_no)


def by_urgency(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=urgency_key)


def tally_problems(lists: Iterable[ListTally]) -> list[str]:
    """Why a platform whose flow finished is still not `ok`: unfinished or unreconciled lists.

    A row read twice means the list moved under the pager (a record arrived or left between two
    pages): the duplicate was dropped, but a record may have slipped past unseen.
    """
    problems: list[str] = []
    for tally in lists:
        repeated = tally.rows_read - tally.rows_kept if tally.rows_kept else 0  # 0 kept: not counted
        if not tally.complete:
            problems.append(f"{tally.name}: stopped after {tally.pages} page(s), {tally.rows_read} rows")
        elif repeated > 0:
            problems.append(
                f"{tally.name}: the list changed while it was paged ({repeated} row(s) read twice, "
                f"{tally.rows_kept} kept); a record may have been missed"
            )
        elif tally.expected is not None and tally.expected != tally.rows_read:
            source = f" ({tally.note})" if tally.note else ""
            problems.append(
                f"{tally.name}: read {tally.rows_read} rows, the platform says {tally.expected}{source}"
            )
    return problems
