"""Small builders shared by tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page

from sweeper.flow import FlowContext, FlowOptions, Sink, discover_flows
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.log_config import get_logger

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIXED_NOW = datetime(2026, 11, 26, 9, 20, tzinfo=SHANGHAI)


def flow_context(
    page: Page, key: str, base_url: str, now: datetime = FIXED_NOW, account: str = "default"
) -> FlowContext:
    """A FlowContext like the runner builds, to call a flow's login/open/collect directly."""
    return FlowContext(
        platform=key,
        account=account,
        page=page,
        locators=load_locators(default_selectors_dir() / f"{key}.toml"),
        base_url=base_url,
        now=now,
        options=FlowOptions(),
        sink=Sink(),
        log=get_logger(platform=key, account=account),
    )


def flow(key: str):  # type: ignore[no-untyped-def]
    return discover_flows()[key]
