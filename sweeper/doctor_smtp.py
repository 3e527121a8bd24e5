"""The SMTP check of `sweeper doctor`: connect, TLS as configured, AUTH, QUIT. No mail is sent.

The password is the keyring entry of platform "smtp", account `email.username`; it goes to the
server and nowhere else (no row, log or exception text carries it).
"""

from __future__ import annotations

import smtplib
import ssl

from sweeper.doctor_checks import Row, credentials_fix
from sweeper.errors import ConfigError, CredentialMissing
from sweeper.secrets import CredentialSource
from sweeper.settings import EmailSettings

SMTP_KEY = "smtp"  # the keyring platform key of the SMTP login


def smtp_login(email: EmailSettings, password: str) -> None:
    """Open the connection the settings describe and authenticate; raises smtplib/OS errors."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if email.security == "ssl":
        client = smtplib.SMTP_SSL(email.host, email.port, timeout=email.timeout_s, context=context)
    else:
        client = smtplib.SMTP(email.host, email.port, timeout=email.timeout_s)
    with client:  # leaving sends QUIT
        client.ehlo()
        if email.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        client.login(email.username, password)


def smtp_row(email: EmailSettings, credentials: CredentialSource) -> Row:
    where = f"{email.host}:{email.port} ({email.security})"
    if not email.enabled:
        return Row("SMTP", "email", "skip", "email.enabled is false: no report is mailed")
    password = _password(email, credentials, where)
    return password if isinstance(password, Row) else _login_row(email, password, where)


def _password(email: EmailSettings, credentials: CredentialSource, where: str) -> str | Row:
    try:
        return credentials.get(SMTP_KEY, email.username).password.get_secret_value()
    except CredentialMissing:
        detail = f"no SMTP password in the OS keyring for {email.username}"
        return Row("SMTP", where, "fail", detail, credentials_fix(SMTP_KEY, email.username))
    except ConfigError as exc:
        return Row("SMTP", where, "fail", str(exc), "unlock or configure the OS keyring")


def _login_row(email: EmailSettings, password: str, where: str) -> Row:
    try:
        smtp_login(email, password)
    except smtplib.SMTPAuthenticationError as exc:
        detail = f"the server refused the login of {email.username}: {exc.smtp_code} {_text(exc.smtp_error)}"
        return Row("SMTP", where, "fail", detail, credentials_fix(SMTP_KEY, email.username))
    except smtplib.SMTPNotSupportedError as exc:  # no STARTTLS, or no AUTH on a plain connection
        detail = f"the server does not support it: {exc}"
        return Row("SMTP", where, "fail", detail, "set email.security as the provider says (ssl or starttls)")
    except (smtplib.SMTPException, OSError) as exc:
        detail = f"cannot talk to the server: {type(exc).__name__}: {exc}"
        return Row("SMTP", where, "fail", detail, "check email.host, .port, .security and the network")
    return Row("SMTP", where, "ok", f"connected and logged in as {email.username}; no mail sent")


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())[:200]
