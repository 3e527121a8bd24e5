"""The report mail: subject counts, parts, inlined CSS, masking, a bounded body, the size limit."""

from __future__ import annotations

import hashlib
import io
import smtplib
import zipfile
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from sweeper.history_compare import OpenFinding, compare, rechecked_in
from sweeper.mail import compose, message_size, subject
from sweeper.mail_send import classify, scrub
from sweeper.models import Category, Finding, FlowResult, FlowStatus, RunResult
from sweeper.output import write_run
from sweeper.rules import with_time_left
from sweeper.settings import EmailSettings
from tests.helpers import FIXED_NOW

EMAIL = EmailSettings(host="127.0.0.1", username="robot@shop.cn", sender="robot@shop.cn",
                      recipients=["ops@shop.cn", "boss@shop.cn"])


def f(order: str, category: Category, hours: float | None = None, platform: str = "pdd", **extra: object) -> Finding:
    deadline = FIXED_NOW + timedelta(hours=hours) if hours is not None else None
    made = Finding(platform=platform, account="default", category=category, order_no=order,
                   deadline_at=deadline, **extra)  # type: ignore[arg-type]
    return with_time_left(made, FIXED_NOW)


def sample_run(findings: list[Finding] | None = None) -> RunResult:
    pdd = FlowResult(platform="pdd", account="default", label="拼多多", status=FlowStatus.OK, started_at=FIXED_NOW,
                     findings=findings if findings is not None else [
                         f("P-OVERDUE", Category.OVERDUE_SHIPMENT, -3, buyer_memo="电话 13812345678",
                           customer="王小明 13812345678 江苏省南京市江宁区某路1号", amount_yuan=Decimal("36.80")),
                         f("P-REFUND1", Category.REFUND_WAITING, 20),
                         f("P-AFTER", Category.AFTERSALE_DUE_SOON, 2),
                         f("P-COMPLAIN", Category.COMPLAINT),
                     ])
    suning = FlowResult(platform="suning", account="default", label="苏宁", status=FlowStatus.NEEDS_LOGIN,
                        reason="登录已失效", fix_command="sweeper login suning --account default", started_at=FIXED_NOW)
    yfw = FlowResult(platform="yaofangwang", account="default", label="药房网", status=FlowStatus.FAILED,
                     reason="layout changed", started_at=FIXED_NOW)
    return RunResult(run_id="20261126-092000-abcd", slot="0930", now=FIXED_NOW, started_at=FIXED_NOW,
                     finished_at=FIXED_NOW, platforms=[pdd, suning, yfw])


def written(run: RunResult, tmp_path: Path) -> Path:
    folder = tmp_path / run.run_id
    folder.mkdir(parents=True)
    return write_run(folder, run)


def parts(message: EmailMessage) -> tuple[str, str, list[EmailMessage]]:
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content(), list(parsed.iter_attachments())  # type: ignore[arg-type]


def test_subject_counts_what_matters_and_only_non_zero() -> None:
    assert subject(sample_run()) == "[sweeper 09:20] 超时 1 · 待退款 2 · 投诉 1 · 需登录 1 · 失败 1"
    calm = sample_run([f("RX", Category.PRESCRIPTION_REVIEW)])
    calm = calm.model_copy(update={"platforms": calm.platforms[:1]})
    assert subject(calm) == "[sweeper 09:20] 待处理 1"
    assert subject(calm.model_copy(update={"platforms": [calm.platforms[0].model_copy(update={"findings": []})]})) \
        == "[sweeper 09:20] 全部正常"


def test_message_has_text_and_inlined_html_alternatives_and_the_full_report_attached(tmp_path: Path) -> None:
    run = sample_run()
    report = written(run, tmp_path)
    message = compose(run, report, EMAIL)
    assert message.get_content_type() == "multipart/mixed"
    assert message["To"] == "ops@shop.cn, boss@shop.cn" and message["X-Sweeper-Run"] == run.run_id
    text, html, attachments = parts(message)
    assert "待处理 4 项" in text and "苏宁：需要登录" in text and "sweeper login suning" in text
    assert "P-OVERDUE" in text and "P-COMPLAIN" in text
    (attachment,) = attachments
    assert attachment.get_filename() == f"sweeper-report-{run.run_id}.html"
    assert attachment.get_content() == report.read_text(encoding="utf-8")
    # the CSS went into style attributes; only @media rules stay in a <style> block
    assert 'style="' in html and "var(--" not in html and ".verdict {" not in html
    assert html.count("<style>") <= 1 and "@media" in html


def test_bodies_are_masked_like_the_report(tmp_path: Path) -> None:
    run = sample_run()
    text, html, _ = parts(compose(run, written(run, tmp_path), EMAIL))
    for body in (text, html):
        assert "13812345678" not in body and "王小明" not in body
        assert "138****5678" in body
    unmasked, _, _ = parts(compose(run, written(run, tmp_path / "plain"), EMAIL, mask=False))
    assert "王小明" in unmasked


def test_the_body_keeps_the_most_urgent_findings_and_counts_the_rest(tmp_path: Path) -> None:
    many = [f(f"O{i:04d}", Category.SHIPMENT_DUE_SOON, 1 + i / 100) for i in range(200)]
    many.append(f("LATE", Category.OVERDUE_SHIPMENT, -1))
    run = sample_run(many)
    text, html, (attachment,) = parts(compose(run, written(run, tmp_path), EMAIL.model_copy(update={"body_findings": 10})))
    assert "最紧急的 10 项（共 201 项）" in text and "另有 191 项见附件中的完整报告" in text
    assert text.index("LATE") < text.index("O0000") and "O0008" in text and "O0009" not in text
    assert "另有 191 项见附件中的完整报告" in html and "O0009" not in html
    assert "O0199" in attachment.get_content()


def test_an_oversized_report_is_zipped_then_left_out_and_the_body_shrinks(tmp_path: Path) -> None:
    # hex digests barely compress, so even the zipped report outgrows the smaller limit
    many = [f(f"Z{i:05d}", Category.REFUND_WAITING, 5 + i / 1000, item=hashlib.sha256(str(i).encode()).hexdigest())
            for i in range(3000)]
    run = sample_run(many)
    report = written(run, tmp_path)
    assert report.stat().st_size > 1_000_000
    zipped = compose(run, report, EMAIL.model_copy(update={"max_message_bytes": 1_000_000}))
    assert message_size(zipped) <= 1_000_000
    text, _, (attachment,) = parts(zipped)
    assert attachment.get_content_type() == "application/zip" and "已压缩为附件" in text
    with zipfile.ZipFile(io.BytesIO(attachment.get_content())) as archive:
        inner = archive.read(f"sweeper-report-{run.run_id}.html").decode("utf-8")
    assert all(f"Z{i:05d}" in inner for i in range(0, 3000, 7))
    tiny = compose(run, report, EMAIL.model_copy(update={"max_message_bytes": 100_000}))
    assert message_size(tiny) <= 100_000
    text, html, attachments = parts(tiny)
    assert attachments == [] and "未随邮件附上" in text and str(report) in text and "未随邮件附上" in html
    assert "另有" in text  # fewer than body_findings rows, and it says how many are left out


def test_changes_since_the_last_sweep_are_in_both_bodies(tmp_path: Path) -> None:
    run = sample_run()
    still = run.findings[0]
    gone = f("P-DONE", Category.REFUND_WAITING)
    carried = f("S-OLD", Category.COMPLAINT, platform="suning")
    day0 = FIXED_NOW - timedelta(days=1)
    previous = [OpenFinding(still, day0), OpenFinding(gone, day0), OpenFinding(carried, day0)]
    changes = compare(previous, run.findings, rechecked=rechecked_in(run), now=FIXED_NOW,
                      previous_run_id="20261125-092000-0001")
    text, html, _ = parts(compose(run, written(run, tmp_path), EMAIL, changes))
    assert "与上次巡检相比：新增 3 项，仍未处理 1 项，已解决 1 项，未能复查 1 项" in text
    assert "自 11-25 09:20 起未处理" in text and "新增" in text
    assert "上次之后已解决（1 项）" in text and "P-DONE" in text
    assert "未能复查，仍视为未处理（1 项）" in text and "S-OLD" in text
    assert "P-DONE" in html and "S-OLD" in html
    assert "上次巡检后已解决（1 项）" in html and "未能复查的上次事项（仍视为未处理，1 项）" in html
    assert "比上次新增 3 项、解决 1 项" in html and "自 11-25 09:20 起" in html


def test_scraped_markup_in_the_changes_block_is_escaped(tmp_path: Path) -> None:
    run = sample_run()
    evil = f("<script>x</script>", Category.COMPLAINT)
    changes = compare([OpenFinding(evil, FIXED_NOW)], run.findings, rechecked=rechecked_in(run), now=FIXED_NOW,
                      previous_run_id="20261125-092000-0001")
    _, html, _ = parts(compose(run, written(run, tmp_path), EMAIL, changes))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPDataError(451, b"try again later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.cn": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.cn": (550, b"no such user")}), False),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."), False),
    ],
)
def test_errors_are_classified_transient_or_permanent(error: BaseException, transient: bool) -> None:
    assert classify(error, EMAIL)[0] is transient


def test_scrub_removes_the_password_and_its_auth_encodings() -> None:
    import base64

    pw = "pw-S3cret-7f9"
    plain = base64.b64encode(f"\0robot@shop.cn\0{pw}".encode()).decode()
    text = f"535 nope {pw} {plain} {base64.b64encode(pw.encode()).decode()}"
    cleaned = scrub(text, EMAIL, pw)
    assert pw not in cleaned and plain not in cleaned and cleaned.count("***") == 3
