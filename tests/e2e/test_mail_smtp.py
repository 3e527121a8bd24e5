"""The report mail against a real SMTP server on 127.0.0.1 (aiosmtpd): plain, STARTTLS and SSL with AUTH.

Each message is parsed back as received. The server's handler sets an Event when DATA arrives; tests
wait on it, never on the clock. Backoff waits are recorded by an injected `sleep`, not slept.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import re
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import typer
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from typer.testing import CliRunner

from sweeper.cli_more import register
from sweeper.history import History, history_file
from sweeper.mail import compose
from sweeper.mail_deliver import deliver
from sweeper.mail_send import DeliveryFailed, send
from sweeper.models import Category, Finding, FlowResult, FlowStatus, RunResult
from sweeper.output import write_run
from sweeper.secrets import KeyringCredentials
from sweeper.settings import EmailSettings, Settings
from tests.helpers import FIXED_NOW

USER = "robot@shop.cn"
PASSWORD = "pw-S3cret-7f9Q"  # the test server's password; asserted absent from everything


# -- a real SMTP server --------------------------------------------------------------------------


@dataclass
class Inbox:
    """The server side: what was received, over TLS or not, after which login."""

    received: list[tuple[Envelope, bool]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # aiosmtpd hook
        assert server.transport is not None
        self.received.append((envelope, server.transport.get_extra_info("ssl_object") is not None))
        self.arrived.set()
        return "250 OK"

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    def message(self) -> tuple[EmailMessage, bytes, bool]:
        assert self.arrived.wait(10), "the server never received the message"
        envelope, tls = self.received[-1]
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed, raw, tls


@dataclass(frozen=True)
class Pki:
    ca: Path
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A throwaway CA and a server certificate for 127.0.0.1, made with `cryptography`."""
    folder = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sweeper test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    inbox: Inbox
    email: EmailSettings  # what a client needs to reach it


@pytest.fixture(params=["plain", "starttls", "ssl"])
def server(request: pytest.FixtureRequest, pki: Pki) -> Iterator[Server]:
    security: str = request.param
    inbox, port = Inbox(), free_port()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki.cert, pki.key)
    options: dict[str, Any] = {
        "plain": {"auth_require_tls": False},  # plain AUTH over a non-TLS connection, as configured
        "starttls": {"tls_context": context, "require_starttls": True},
        # aiosmtpd only counts STARTTLS as TLS when deciding to offer AUTH; this connection is TLS from
        # the first byte (handle_DATA records the ssl_object), so let it offer AUTH here as well
        "ssl": {"ssl_context": context, "auth_require_tls": False},
    }[security]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate,
                            data_size_limit=64 * 1024 * 1024, **options)
    controller.start()
    email = EmailSettings(enabled=True, host="127.0.0.1", port=port, security=security,  # type: ignore[arg-type]
                          username=USER, sender=USER, recipients=["ops@shop.cn", "boss@shop.cn"], timeout_s=5,
                          ca_file=pki.ca)
    yield Server(inbox, email)
    controller.stop()


# -- runs ----------------------------------------------------------------------------------------


def finding(order: str, category: Category = Category.OVERDUE_SHIPMENT, platform: str = "pdd") -> Finding:
    return Finding(platform=platform, account="default", category=category, order_no=order, seconds_left=-60,
                   customer="王小明 13812345678 江苏省南京市江宁区某路1号")


def make_run(run_id: str, now: dt.datetime, *platforms: FlowResult) -> RunResult:
    return RunResult(run_id=run_id, slot="0930", now=now, started_at=now, finished_at=now, platforms=list(platforms))


def pdd(status: FlowStatus, *findings: Finding) -> FlowResult:
    return FlowResult(platform="pdd", account="default", label="拼多多", status=status, started_at=FIXED_NOW,
                      findings=list(findings))


def suning(status: FlowStatus, *findings: Finding) -> FlowResult:
    return FlowResult(platform="suning", account="default", label="苏宁", status=status, started_at=FIXED_NOW,
                      findings=list(findings), reason="" if status is FlowStatus.OK else "登录已失效")


def written(run: RunResult, report_dir: Path) -> tuple[Path, Path]:
    folder = report_dir / run.run_id
    folder.mkdir(parents=True)
    return folder, write_run(folder, run)


def assert_no_secret(raw: bytes) -> None:
    for secret in (PASSWORD, base64.b64encode(PASSWORD.encode()).decode(),
                   base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()):
        assert secret.encode() not in raw
    assert b"13812345678" not in raw and "王小明".encode() not in raw  # bodies masked, run.json not attached


# -- tests ---------------------------------------------------------------------------------------


def test_the_report_arrives_over_each_transport_with_auth(server: Server, tmp_path: Path) -> None:
    run = make_run("20261126-092000-mail", FIXED_NOW, pdd(FlowStatus.OK, finding("P1")), suning(FlowStatus.NEEDS_LOGIN))
    _, report = written(run, tmp_path)
    refused = send(compose(run, report, server.email), server.email, PASSWORD)
    received, raw, tls = server.inbox.message()
    assert refused == [] and server.inbox.logins == [USER]
    assert tls is (server.email.security != "plain")
    assert received["Subject"] == "[sweeper 09:20] 超时 1 · 需登录 1"
    assert received["X-Sweeper-Run"] == run.run_id
    text, html = received.get_body(("plain",)), received.get_body(("html",))
    assert text is not None and html is not None
    assert "P1" in text.get_content() and "138****5678" in text.get_content()
    assert 'style="' in html.get_content()
    (attachment,) = received.iter_attachments()
    assert attachment.get_content() == report.read_text(encoding="utf-8")
    assert_no_secret(raw)


def test_a_server_that_is_down_is_retried_with_backoff_then_reported(tmp_path: Path) -> None:
    run = make_run("20261126-092000-down", FIXED_NOW, pdd(FlowStatus.OK))
    _, report = written(run, tmp_path)
    email = EmailSettings(enabled=True, host="127.0.0.1", port=free_port(), security="plain", username=USER,
                          sender=USER, recipients=["ops@shop.cn"], timeout_s=2, retries=3)
    waits: list[float] = []
    with pytest.raises(DeliveryFailed) as failed:
        send(compose(run, report, email), email, PASSWORD, sleep=waits.append)
    assert waits == [2.0, 4.0, 8.0]
    assert failed.value.transient and "after 4 attempts" in str(failed.value)
    assert "ConnectionRefusedError" in str(failed.value) and PASSWORD not in str(failed.value)


@pytest.mark.parametrize("server", ["starttls"], indirect=True)
def test_a_refused_login_is_not_retried_and_never_shows_the_password(server: Server, tmp_path: Path) -> None:
    run = make_run("20261126-092000-auth", FIXED_NOW, pdd(FlowStatus.OK))
    _, report = written(run, tmp_path)
    waits: list[float] = []
    with pytest.raises(DeliveryFailed) as failed:
        send(compose(run, report, server.email), server.email, "wrong-" + PASSWORD, sleep=waits.append)
    assert waits == [] and not failed.value.transient
    assert "refused the login of robot@shop.cn: 535" in str(failed.value)
    assert PASSWORD not in str(failed.value) and server.inbox.received == []


@pytest.mark.parametrize("server", ["ssl"], indirect=True)
def test_an_untrusted_certificate_fails_without_retry(server: Server, tmp_path: Path) -> None:
    run = make_run("20261126-092000-cert", FIXED_NOW, pdd(FlowStatus.OK))
    _, report = written(run, tmp_path)
    untrusting = server.email.model_copy(update={"ca_file": None})  # the system CAs do not know our test CA
    waits: list[float] = []
    with pytest.raises(DeliveryFailed, match="certificate is not trusted"):
        send(compose(run, report, untrusting), untrusting, PASSWORD, sleep=waits.append)
    assert waits == [] and server.inbox.received == []


@pytest.mark.parametrize("server", ["plain"], indirect=True)
def test_ten_thousand_findings_keep_the_body_bounded_and_the_attachment_complete(
    server: Server, tmp_path: Path
) -> None:
    orders = [f"261126-{i:012d}" for i in range(10_000)]
    run = make_run("20261126-092000-big", FIXED_NOW, pdd(FlowStatus.OK, *(finding(o) for o in orders)))
    _, report = written(run, tmp_path)
    send(compose(run, report, server.email), server.email, PASSWORD)
    received, raw, _ = server.inbox.message()
    assert len(raw) <= server.email.max_message_bytes
    text = received.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = received.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "最紧急的 50 项（共 10000 项）" in text and "另有 9950 项见附件中的完整报告" in text
    order_no = re.compile(r"261126-\d{12}")
    assert len(set(order_no.findall(text))) == 50 and len(set(order_no.findall(html))) <= 50
    assert len(html.encode()) < 400_000
    (attachment,) = received.iter_attachments()
    assert set(order_no.findall(attachment.get_content())) == set(orders)
    assert_no_secret(raw)


@pytest.mark.parametrize("server", ["ssl"], indirect=True)
def test_deliver_records_history_and_mails_three_runs_with_their_changes(
    server: Server, tmp_path: Path
) -> None:
    KeyringCredentials().set("smtp", USER, USER, PASSWORD)
    settings = Settings(state_dir=tmp_path / "state", report_dir=tmp_path / "reports", email=server.email)
    day = dt.timedelta(days=1)
    runs = [
        make_run("r1", FIXED_NOW, pdd(FlowStatus.OK, finding("A"), finding("B")), suning(FlowStatus.OK, finding("C", platform="suning"))),
        make_run("r2", FIXED_NOW + day, pdd(FlowStatus.OK, finding("A"), finding("D")), suning(FlowStatus.NEEDS_LOGIN)),
        make_run("r3", FIXED_NOW + 2 * day, pdd(FlowStatus.OK, finding("A")), suning(FlowStatus.FAILED)),
    ]
    for run in runs:
        server.inbox.arrived.clear()
        folder, _ = written(run, settings.report_dir)
        assert deliver(run, folder, settings, no_email=False) is None
        assert server.inbox.arrived.wait(10)
    received, raw, _ = server.inbox.message()
    text = received.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "与上次巡检相比：新增 0 项，仍未处理 1 项，已解决 1 项，未能复查 1 项" in text
    assert "自 11-26 09:20 起未处理" in text  # A, first seen in r1
    assert "上次之后已解决（1 项）" in text and "| D" in text
    assert "未能复查，仍视为未处理（1 项）" in text and "| C（自 11-26 09:20 起）" in text
    assert [s.run_id for s in History(history_file(settings)).runs()] == ["r3", "r2", "r1"]
    assert len(server.inbox.received) == 3
    assert_no_secret(raw)


@pytest.mark.parametrize("server", ["plain"], indirect=True)
def test_no_email_records_history_but_sends_nothing(server: Server, tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "state", report_dir=tmp_path / "reports", email=server.email)
    run = make_run("r1", FIXED_NOW, pdd(FlowStatus.OK, finding("A")))
    folder, _ = written(run, settings.report_dir)
    assert deliver(run, folder, settings, no_email=True) is None
    assert server.inbox.received == []  # deliver is synchronous: a sent mail would be here already
    assert History(history_file(settings)).latest() == "r1"


def test_a_failed_delivery_is_one_line_and_the_report_stays(tmp_path: Path) -> None:
    KeyringCredentials().set("smtp", USER, USER, PASSWORD)
    email = EmailSettings(enabled=True, host="127.0.0.1", port=free_port(), security="plain", username=USER,
                          sender=USER, recipients=["ops@shop.cn"], timeout_s=2, retries=1)
    settings = Settings(state_dir=tmp_path / "state", report_dir=tmp_path / "reports", email=email)
    run = make_run("r-down", FIXED_NOW, pdd(FlowStatus.OK, finding("A")))
    folder, report = written(run, settings.report_dir)
    waits: list[float] = []
    problem = deliver(run, folder, settings, no_email=False, sleep=waits.append)
    assert problem is not None and "mail not sent (after 2 attempts)" in problem
    assert "resend with: sweeper send r-down" in problem and PASSWORD not in problem
    assert report.is_file() and waits == [2.0]
    KeyringCredentials().delete("smtp", USER)
    missing = deliver(run, folder, settings, no_email=False, sleep=waits.append)
    assert missing is not None and "sweeper credentials set smtp --account robot@shop.cn" in missing


@pytest.mark.parametrize("server", ["starttls"], indirect=True)
def test_send_command_resends_a_stored_run(server: Server, tmp_path: Path) -> None:
    KeyringCredentials().set("smtp", USER, USER, PASSWORD)
    state, reports = tmp_path / "state", tmp_path / "reports"
    run = make_run("20261126-092000-again", FIXED_NOW, pdd(FlowStatus.OK, finding("A")))
    History(history_file(Settings(state_dir=state))).record(run)  # stored, but its folder is gone
    config = tmp_path / "sweeper.toml"
    e = server.email
    config.write_text(
        f'report_dir = "{reports}"\nstate_dir = "{state}"\n[email]\nenabled = false\nhost = "{e.host}"\n'
        f'port = {e.port}\nsecurity = "starttls"\nusername = "{USER}"\nsender = "{USER}"\n'
        f'recipients = ["ops@shop.cn"]\nca_file = "{e.ca_file}"\n', encoding="utf-8")
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["send", run.run_id, "--config", str(config)])
    assert result.exit_code == 0, result.output
    received, raw, tls = server.inbox.message()
    assert received["X-Sweeper-Run"] == run.run_id and tls
    assert (reports / run.run_id / "report.html").is_file()  # rendered again to be attached
    assert_no_secret(raw)
    unknown = CliRunner().invoke(app, ["send", "nope", "--config", str(config)])
    assert unknown.exit_code == 2 and "no run 'nope'" in unknown.output
