"""The report as an e-mail: subject from the counts that matter, HTML + text bodies, report attached.

    multipart/mixed
    ├── multipart/alternative
    │   ├── text/plain   verdict, statuses, the most urgent findings (masked like the HTML)
    │   └── text/html    render_report(limit=N) with the CSS inlined
    └── text/html        the full report.html, attached

Size: the whole message (as sent, base64 and all) stays under `email.max_message_bytes`. The
full report is attached as is when it fits; else zipped (HTML compresses about 100 to 1); else not
at all, and both bodies say so and where the report is on disk (`sweeper report RUN-ID` renders it
again). Within what the attachment leaves, the body shows up to `email.body_findings` findings,
halved until the message fits, and says how many more are in the attachment.

Nothing here sees a password: composing and sending (sweeper/mail_send.py) are separate.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from sweeper.history_compare import Changes
from sweeper.mail_body import html_body, text_body
from sweeper.models import Category, FlowStatus, RunResult
from sweeper.settings import EmailSettings

__all__ = ["compose", "message_size", "subject"]

_REFUNDS = frozenset({Category.REFUND_WAITING, Category.AFTERSALE_DUE_SOON})
_HEADER_SLACK = 4096  # headers and MIME boundaries around the parts we measure


def subject(run: RunResult) -> str:
    """'[sweeper 09:25] 超时 3 · 待退款 5 · 投诉 1 · 需登录 1': only the non-zero counts."""
    findings = run.findings
    statuses = [p.status for p in run.platforms]
    counts = (
        ("超时", sum(1 for f in findings if (f.seconds_left is not None and f.seconds_left < 0)
                     or (f.seconds_left is None and f.category is Category.OVERDUE_SHIPMENT))),
        ("待退款", sum(1 for f in findings if f.category in _REFUNDS)),
        ("投诉", sum(1 for f in findings if f.category is Category.COMPLAINT)),
        ("需登录", statuses.count(FlowStatus.NEEDS_LOGIN)),
        ("失败", statuses.count(FlowStatus.FAILED)),
        ("不完整", statuses.count(FlowStatus.PARTIAL)),
    )
    parts = [f"{name} {n}" for name, n in counts if n]
    if not parts:
        parts = [f"待处理 {len(findings)}"] if findings else ["全部正常"]
    return f"[sweeper {run.now.strftime('%H:%M')}] " + " · ".join(parts)


def message_size(message: EmailMessage) -> int:
    """Bytes on the wire (CRLF line ends, transfer-encoded)."""
    return len(message.as_bytes(policy=SMTP))


@dataclass(frozen=True)
class _Attachment:
    part: EmailMessage | None
    size: int
    note: str


def _part(data: bytes, maintype: str, subtype: str, filename: str) -> EmailMessage:
    part = EmailMessage()
    params = {"charset": "utf-8"} if maintype == "text" else {}
    part.set_content(data, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return part


def _attachments(report: bytes, run: RunResult, report_path: Path, total: int) -> Iterator[_Attachment]:
    """The full report as is, zipped, and not at all: the order compose tries them in."""
    name = f"sweeper-report-{run.run_id}"
    raw = _part(report, "text", "html", f"{name}.html")
    yield _Attachment(raw, message_size(raw), f"附件 {name}.html 是完整报告（共 {total} 项）。")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.html", report)
    zipped = _part(buffer.getvalue(), "application", "zip", f"{name}.zip")
    mb = len(report) / 1_000_000
    yield _Attachment(zipped, message_size(zipped),
                      f"完整报告（{mb:.1f} MB，共 {total} 项）较大，已压缩为附件 {name}.zip。")
    yield _Attachment(None, 0, f"完整报告（{mb:.1f} MB，共 {total} 项）超过邮件大小上限，未随邮件附上；"
                               f"报告位于 {report_path}，也可运行 sweeper report {run.run_id} 重新生成。")


def _alternative(text: str, html: str) -> EmailMessage:
    body = EmailMessage()
    body.set_content(text)
    body.add_alternative(html, subtype="html")
    return body


def _limits(most: int) -> list[int]:
    """most, most/2, ..., 1, 0."""
    limits = []
    while most > 0:
        limits.append(most)
        most //= 2
    return [*limits, 0]


def compose(
    run: RunResult,
    report_path: Path,
    email_settings: EmailSettings,
    changes: Changes | None = None,
    *,
    mask: bool = True,
) -> EmailMessage:
    """The report mail for `run`, whose full report.html is at `report_path`."""
    report = report_path.read_bytes()
    budget = email_settings.max_message_bytes - _HEADER_SLACK
    for attachment in _attachments(report, run, report_path, len(run.findings)):
        for limit in _limits(email_settings.body_findings):
            text = text_body(run, mask=mask, limit=limit, changes=changes, note=attachment.note)
            html = html_body(run, mask=mask, limit=limit, changes=changes, note=attachment.note)
            if attachment.size + message_size(_alternative(text, html)) > budget:
                continue
            message = _assemble(run, email_settings, text, html, attachment.part)
            if message_size(message) <= email_settings.max_message_bytes:
                return message
    # Not even the bare body fits (a limit below any sane size): send the smallest message there is.
    return _assemble(run, email_settings, text, html, None)


def _assemble(
    run: RunResult, email: EmailSettings, text: str, html: str, attachment: EmailMessage | None
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(run)
    message["From"] = email.sender
    message["To"] = ", ".join(email.recipients)
    message["Date"] = formatdate(localtime=True)
    domain = email.sender.rpartition("@")[2] or "sweeper.invalid"
    message["Message-ID"] = make_msgid(idstring=run.run_id, domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    message["X-Sweeper-Run"] = run.run_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.make_mixed()
        message.attach(attachment)
    return message
