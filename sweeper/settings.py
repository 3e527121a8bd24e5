"""Settings: one TOML file plus `SWEEPER_` environment variables (env wins).

The file is `--config FILE`, else `$SWEEPER_CONFIG`, else `sweeper.toml` in the user config dir.
Nested fields use `__` in the environment: `SWEEPER_PLATFORMS__PDD__TIMEOUT_S=300`.
Secrets are never settings: passwords live in the OS keyring (`sweeper credentials set`).
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Literal, Self

from platformdirs import user_config_dir, user_state_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from sweeper.errors import ConfigError

_toml_path: ContextVar[Path | None] = ContextVar("sweeper_toml_path", default=None)


class AccountSettings(BaseModel):
    """One shop on a platform. The login itself is in the keyring under this account's name."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", description="shown in the report, e.g. '上元堂大药房旗舰店'")


class PlatformSettings(BaseModel):
    """Per-platform switches and thresholds."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description="include in `sweeper run --all`")
    base_url: str | None = Field(default=None, description="override the selectors file's base_url")
    timeout_s: float = Field(default=300.0, gt=0, description="the whole platform's sweep must end by then")
    action_timeout_s: float = Field(default=20.0, gt=0, description="one click / wait on the page")
    retries: int = Field(default=1, ge=0, le=5, description="retries after a transient failure")
    ship_due_soon_hours: float = Field(default=12.0, gt=0, description="'near the ship deadline' window")
    aftersale_due_soon_hours: float = Field(default=24.0, gt=0, description="'after-sale about to time out'")
    auto_login: bool = Field(
        default=True, description="try the keyring password headless when the saved session expired"
    )
    max_concurrent_requests: int = Field(
        default=4, ge=0, le=32,
        description="requests to the platform's own hosts in flight at once (0: no cap)",
    )
    min_request_interval_ms: int = Field(
        default=100, ge=0, le=60_000,
        description="least time between the starts of two requests to the platform's hosts (0: none)",
    )
    lists_in_parallel: int | None = Field(
        default=None, ge=1, le=8,
        description="tabs reading the platform's lists side by side (1: one list after another); "
        "unset: the flow's own number (3; 4 for 拼多多); max_concurrent_requests still caps what they "
        "send together",
    )
    fast_page_turns: bool = Field(
        default=True,
        description="turn list pages with a DOM click event instead of Playwright's checked mouse click "
        "(measured: a quarter of a sweep's CPU); false for a site that ignores synthetic clicks",
    )
    fetch_list_pages: bool = Field(
        default=True,
        description="read a server-rendered list's pages after the first by fetching and parsing them "
        "in the list's page instead of opening them; false: open every page",
    )
    lean_drawing: bool = Field(
        default=True,
        description="headless sweeps do not draw the list bodies the selectors file names in [undrawn], "
        "nor animations, transitions or the caret (measured: about a third of the sweep's CPU); "
        "false draws everything",
    )
    accounts: dict[str, AccountSettings] = Field(
        default_factory=lambda: {"default": AccountSettings()}, description="shops on this platform"
    )


class BrowserSettings(BaseModel):
    """Which browser to drive. `auto` picks Playwright's Chromium, then Chrome, Edge, system Chromium."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["auto", "bundled", "chrome", "msedge", "system"] = "auto"
    executable: Path | None = Field(default=None, description="explicit browser binary (wins over kind)")
    extra_args: list[str] = Field(default_factory=list)
    headless_shell: bool = Field(
        default=True,
        description="headless runs use Chromium's headless shell when one is installed (measured: a third "
        "less CPU per page than the full browser in headless mode); headed runs always use the full one",
    )
    login_wait_s: float = Field(default=300.0, gt=0, description="how long a headed login waits for a human")
    trace_snapshots: bool = Field(
        default=False,
        description="DOM snapshots and network log in failure traces (measured: +30% of a sweep's wall)",
    )


class EmailSettings(BaseModel):
    """Where the report is mailed (SMTP). Off by default; `sweeper doctor` checks it without sending.

    The SMTP password is never a setting: it is the keyring entry of platform key "smtp" whose
    account is `username` (`sweeper credentials set smtp --account <username>`).
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=False, description="mail the report after each run")
    host: str = Field(default="", description="SMTP server, e.g. smtp.exmail.qq.com")
    port: int = Field(default=465, gt=0, lt=65536, description="465 for ssl, 587 for starttls, 25 plain")
    security: Literal["ssl", "starttls", "plain"] = Field(
        default="ssl", description="ssl: TLS from the first byte; starttls: upgrade; plain: no TLS"
    )
    username: str = Field(default="", description="SMTP login; also the keyring account of 'smtp'")
    sender: str = Field(default="", description="From: address")
    recipients: list[str] = Field(default_factory=list, description="To: addresses")
    timeout_s: float = Field(default=20.0, gt=0, description="connect / each SMTP command")
    retries: int = Field(default=3, ge=0, le=10, description="resends after a transient failure (backoff)")
    max_message_bytes: int = Field(
        default=10 * 1024 * 1024, ge=64 * 1024, description="the whole message stays under this size"
    )
    body_findings: int = Field(default=50, ge=0, description="most urgent findings shown in the mail body")
    ca_file: Path | None = Field(
        default=None, description="trust exactly this CA (PEM) instead of the system's, e.g. a private relay"
    )

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> Self:
        if self.enabled:
            missing = [n for n in ("host", "username", "sender", "recipients") if not getattr(self, n)]
            if missing:
                raise PydanticCustomError("email_incomplete", "enabled, but lacks {missing}",
                                          {"missing": ", ".join(missing)})
        return self


class Settings(BaseSettings):
    """Everything configurable. Each field is documented in README.md#settings."""

    model_config = SettingsConfigDict(
        env_prefix="SWEEPER_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    report_dir: Path = Field(default=Path("reports"), description="where run folders are written")
    state_dir: Path = Field(
        default_factory=lambda: Path(user_state_dir("sweeper")),
        description="saved sessions and history; never inside the repository",
    )
    timezone: str = Field(default="Asia/Shanghai", description="deadlines and slots are in this zone")
    log_format: Literal["auto", "console", "json"] = "auto"
    mask_customers: bool = Field(default=True, description="mask phones, names, addresses in reports")
    browser: BrowserSettings = Field(default_factory=BrowserSettings)
    platforms: dict[str, PlatformSettings] = Field(default_factory=dict)
    email: EmailSettings = Field(default_factory=EmailSettings, description="mailing the report (SMTP)")
    history_path: Path | None = Field(
        default=None, description="SQLite file of past runs; default <state_dir>/history.sqlite3"
    )

    @field_validator("state_dir")
    @classmethod
    def _state_outside_repo(cls, value: Path) -> Path:
        resolved = value.expanduser().resolve()
        for parent in (resolved, *resolved.parents):
            if (parent / ".git").exists() or (parent / "pyproject.toml").exists():
                raise ValueError(
                    f"{resolved} is inside a project folder ({parent}); saved sessions are credentials "
                    "and must live outside it"
                )
        return resolved

    def platform(self, key: str) -> PlatformSettings:
        return self.platforms.get(key, PlatformSettings())

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _toml_path.get()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def default_config_path() -> Path:
    env = os.environ.get("SWEEPER_CONFIG")
    return Path(env) if env else Path(user_config_dir("sweeper")) / "sweeper.toml"


def load_settings(path: Path | None = None, **overrides: object) -> Settings:
    """Settings from the file (if it exists) and the environment, or a ConfigError saying why."""
    explicit = path is not None
    path = path or default_config_path()
    if explicit and not path.is_file():
        raise ConfigError(f"settings file not found: {path}")
    token = _toml_path.set(path if path.is_file() else None)
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings ({path}): {problems}") from None
    except ValueError as exc:  # TOML syntax errors surface as ValueError subclasses
        raise ConfigError(f"invalid settings file {path}: {exc}") from None
    finally:
        _toml_path.reset(token)
