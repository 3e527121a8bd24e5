"""Credentials in the OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).

One entry per (platform, account): service "sweeper", user "<platform>/<account>", the secret a
small JSON object holding the username and password. Nothing here logs or prints a password.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Protocol

import keyring
import keyring.errors
from pydantic import SecretStr

from sweeper.errors import ConfigError, CredentialMissing
from sweeper.flow import Credentials

SERVICE = "sweeper"
_Names = frozenset[str]  # module-level: inside the class, `set` is the method below
INDEX_USER = "__index__"


class CredentialSource(Protocol):
    def get(self, platform: str, account: str) -> Credentials: ...


def _entry(platform: str, account: str) -> str:
    return f"{platform}/{account}"


class KeyringCredentials:
    """The production source: the OS keyring."""

    def get(self, platform: str, account: str) -> Credentials:
        try:
            blob = keyring.get_password(SERVICE, _entry(platform, account))
        except keyring.errors.KeyringError as exc:
            raise ConfigError(f"the OS keyring is not usable: {type(exc).__name__}") from None
        if blob is None:
            raise CredentialMissing(platform, account)
        data = json.loads(blob)
        return Credentials(username=data["username"], password=SecretStr(data["password"]))

    def set(self, platform: str, account: str, username: str, password: str) -> None:
        blob = json.dumps({"username": username, "password": password})
        try:
            keyring.set_password(SERVICE, _entry(platform, account), blob)
        except keyring.errors.KeyringError as exc:
            raise ConfigError(f"the OS keyring is not usable: {type(exc).__name__}") from None
        self._index_update(lambda names: names | {_entry(platform, account)})

    def delete(self, platform: str, account: str) -> bool:
        try:
            keyring.delete_password(SERVICE, _entry(platform, account))
        except keyring.errors.PasswordDeleteError:
            return False
        self._index_update(lambda names: names - {_entry(platform, account)})
        return True

    def entries(self) -> list[str]:
        """Which entries exist (keyrings cannot be enumerated portably, so we keep an index)."""
        blob = keyring.get_password(SERVICE, INDEX_USER)
        names = set(json.loads(blob)) if blob else set()
        return sorted(n for n in names if keyring.get_password(SERVICE, n) is not None)

    def _index_update(self, change: Callable[[_Names], _Names]) -> None:
        blob = keyring.get_password(SERVICE, INDEX_USER)
        names: _Names = frozenset(json.loads(blob)) if blob else frozenset()
        keyring.set_password(SERVICE, INDEX_USER, json.dumps(sorted(change(names))))


class StaticCredentials:
    """Fixed logins, used by `sweeper demo` for the replicas' public demo account."""

    def __init__(self, logins: Mapping[str, tuple[str, str]]) -> None:
        self._logins = dict(logins)

    def get(self, platform: str, account: str) -> Credentials:
        try:
            username, password = self._logins[platform]
        except KeyError:
            raise CredentialMissing(platform, account) from None
        return Credentials(username=username, password=SecretStr(password))
