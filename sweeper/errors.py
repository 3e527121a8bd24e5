"""The error tree. Each class says what the runner does with it.

    SweeperError
    ├── ConfigError          bad settings / selectors / arguments: exit 2 before a browser opens
    ├── CredentialMissing    no keyring entry: needs_login, naming `sweeper credentials set …`
    └── FlowError            raised inside one platform's flow; the runner turns it into a FlowResult
        ├── SessionExpired   the site sent us to its login page: try the stored password once,
        │                    else needs_login with `sweeper login …`
        ├── LoginChallenge   captcha / slider / SMS / QR needs a human: needs_login (never retried)
        ├── LoginRejected    wrong password or locked account: failed (never retried)
        ├── LayoutChanged    an expected element is missing: failed, "layout changed: …", evidence
        └── SiteUnavailable  5xx, timeout, network: transient, retried with backoff, then failed
"""

from __future__ import annotations


class SweeperError(Exception):
    """Base of every error sweeper raises on purpose."""


class ConfigError(SweeperError):
    """Settings, selectors or arguments are wrong. The CLI exits 2 with this message."""


class CredentialMissing(SweeperError):
    """No credential in the OS keyring for a platform/account."""

    def __init__(self, platform: str, account: str) -> None:
        self.platform = platform
        self.account = account
        super().__init__(
            f"no credential for {platform}/{account}; run: "
            f"sweeper credentials set {platform} --account {account}"
        )


class FlowError(SweeperError):
    """Raised by a flow; never escapes the runner."""


class SessionExpired(FlowError):
    """The saved session is no longer accepted (the site redirected to its login page)."""


class LoginChallenge(FlowError):
    """The site wants a human (captcha, slider, SMS code, QR confirmation)."""


class LoginRejected(FlowError):
    """The site refused the credentials (wrong password, account locked)."""


class AccountLocked(LoginRejected):
    """The site says the account is locked: a person unlocks it on the site; the password may be right."""


class LayoutChanged(FlowError):
    """Elements the selectors file promises are not on the page."""

    def __init__(self, missing: list[str], where: str = "") -> None:
        self.missing = missing
        place = f" on {where}" if where else ""
        super().__init__(f"layout changed{place}: {', '.join(missing)}")


class SiteUnavailable(FlowError):
    """A transient failure: HTTP 5xx, a timeout or a network error. Worth retrying."""
