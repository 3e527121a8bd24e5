"""Turn settings and a list of platform keys into runner targets, validating before any browser."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sweeper.errors import ConfigError
from sweeper.flow import Flow, discover_flows
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.runner import Target
from sweeper.settings import Settings


def build_targets(
    settings: Settings,
    keys: Sequence[str],
    *,
    account: str | None = None,
    base_urls: Mapping[str, str] | None = None,
    selectors_dir: Path | None = None,
) -> list[Target]:
    """Targets for the given platforms (every account unless one is named)."""
    flows = discover_flows()
    unknown = [k for k in keys if k not in flows]
    if unknown:
        raise ConfigError(f"unknown platform(s): {', '.join(unknown)}; known: {', '.join(flows)}")
    folder = selectors_dir or default_selectors_dir()
    targets: list[Target] = []
    for key in keys:
        targets += _targets_for(settings, key, flows[key], folder, account, (base_urls or {}).get(key))
    return targets


def _targets_for(
    settings: Settings, key: str, flow: Flow, folder: Path, account: str | None, base_url: str | None
) -> list[Target]:
    locators = load_locators(folder / f"{key}.toml")
    missing = locators.check_required(flow.required)
    if missing:
        raise ConfigError(f"selectors/{key}.toml lacks entries the flow needs: {', '.join(missing)}")
    plat = settings.platform(key)
    accounts = plat.accounts
    if account is not None:
        if account not in accounts:
            raise ConfigError(f"{key} has no account '{account}' in settings; known: {', '.join(accounts)}")
        accounts = {account: accounts[account]}
    url = base_url or plat.base_url or locators.site.base_url
    return [
        Target(
            platform=key,
            account=name,
            flow=flow,
            locators=locators,
            base_url=url,
            settings=plat,
            label=acc.label or locators.site.name,
        )
        for name, acc in accounts.items()
    ]


def enabled_platforms(settings: Settings) -> list[str]:
    return [k for k in discover_flows() if settings.platform(k).enabled]
