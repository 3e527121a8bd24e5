"""SMTP delivery: TLS as configured, AUTH, retries with exponential backoff on transient errors.

    security = "ssl"       TLS from the first byte (port 465)
    security = "starttls"  plain connect, then STARTTLS, refused if the server does not offer it
    security = "plain"     no TLS at all: only because the settings say so explicitly

Certificates are always verified, against the system's CAs or exactly `email.ca_file`.

Transient (retried, waits 2 s, 4 s, 8 s, … up to 60 s): connection refused or reset, timeouts,
a dropped connection, any 4xx reply. Permanent (raised at once): a refused login, 5xx replies, TLS
or certificate errors, a server without STARTTLS/AUTH. Either way the caller gets one
`DeliveryFailed` whose text never contains the password (it is scrubbed even from server replies).
"""

from __future__ import annotations

import base64
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage

from sweeper.errors import SweeperError
from sweeper.log_config import get_logger
from sweeper.settings import EmailSettings

BACKOFF_FIRST_S = 2.0
BACKOFF_MAX_S = 60.0


class DeliveryFailed(SweeperError):
    """The report could not be mailed. The report is still on disk; `sweeper send RUN-ID` resends."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def _context(email: EmailSettings) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=str(email.ca_file) if email.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise DeliveryFailed(f"cannot load email.ca_file {email.ca_file}: {exc}", transient=False) from None


def _send_once(
    message: EmailMessage, email: EmailSettings, password: str, context: ssl.SSLContext
) -> list[str]:
    """One connection: returns the recipients the server refused (the others got the mail)."""
    client: smtplib.SMTP
    if email.security == "ssl":
        client = smtplib.SMTP_SSL(email.host, email.port, timeout=email.timeout_s, context=context)
    else:
        client = smtplib.SMTP(email.host, email.port, timeout=email.timeout_s)
    try:
        client.ehlo()
        if email.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if email.username:
            client.login(email.username, password)
        refused = client.send_message(message, from_addr=email.sender, to_addrs=email.recipients)
    except BaseException:
        client.close()
        raise
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()  # the server accepted the message: a failed goodbye changes nothing
    return sorted(refused)


def _reply(code: int, text: bytes | str) -> str:
    decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(decoded.split())[:300]}"


def classify(exc: BaseException, email: EmailSettings) -> tuple[bool, str]:
    """(transient?, what happened) for an error of one attempt."""
    if isinstance(exc, smtplib.SMTPException):  # before OSError: SMTPException is one
        return _smtp_error(exc, email)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False, f"the server's certificate is not trusted ({exc.verify_message}); see email.ca_file"
    if isinstance(exc, ssl.SSLError):
        return False, f"TLS failed ({exc.reason}); is email.security right for port {email.port}?"
    if isinstance(exc, OSError):  # refused, reset, unreachable, DNS, TimeoutError
        return True, f"cannot talk to {email.host}:{email.port}: {type(exc).__name__}: {exc}"
    return False, f"{type(exc).__name__}: {exc}"


def _smtp_error(exc: smtplib.SMTPException, email: EmailSettings) -> tuple[bool, str]:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return False, f"the server refused the login of {email.username}: {reply}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        replies = "; ".join(f"{who}: {_reply(c, t)}" for who, (c, t) in exc.recipients.items())
        return any(400 <= c < 500 for c in codes), f"every recipient was refused ({replies})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500, f"the server replied {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False, f"the server does not support it ({exc}); set email.security as the provider says"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True, f"the server closed the connection ({exc})"
    return False, f"{type(exc).__name__}: {exc}"  # e.g. no AUTH mechanism both sides know


def scrub(text: str, email: EmailSettings, password: str) -> str:
    """The text with the password, and the AUTH encodings that carry it, replaced by ***."""
    if not password:
        return text
    forms = {password}
    for raw in (password, f"\0{email.username}\0{password}"):
        forms.add(base64.b64encode(raw.encode("utf-8")).decode("ascii"))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


def send(
    message: EmailMessage,
    settings: EmailSettings,
    password: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Deliver `message`, retrying transient failures `settings.retries` times with backoff.

    Returns the recipients the server refused while accepting the others; raises DeliveryFailed.
    """
    log = get_logger(smtp=f"{settings.host}:{settings.port}", security=settings.security)
    context = _context(settings)
    attempts = settings.retries + 1
    for attempt in range(1, attempts + 1):
        try:
            refused = _send_once(message, settings, password, context)
        except (smtplib.SMTPException, OSError) as exc:
            transient, what = classify(exc, settings)
            what = scrub(what, settings, password)
            if not transient or attempt == attempts:
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                log.warning("mail_failed", attempt=attempt, error=what)
                raise DeliveryFailed(f"mail not sent{tries}: {what}", transient=transient) from None
            wait = min(BACKOFF_FIRST_S * 2 ** (attempt - 1), BACKOFF_MAX_S)
            log.info("mail_retry", attempt=attempt, wait_s=wait, error=what)
            sleep(wait)
        else:
            log.info("mail_sent", attempt=attempt, recipients=len(settings.recipients), refused=refused)
            return refused
    raise AssertionError("unreachable")  # pragma: no cover
