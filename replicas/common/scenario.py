"""Scenario files: fix the clock, add or replace records, switch faults on.

A scenario is TOML (or JSON with the same shape):

    clock = "2026-11-26T09:20:00+08:00"   # optional; the wall clock otherwise
    seed = 7                              # synthetic data is reproducible per seed
    latency_ms = 0                        # each response's time, every replica (it works within it)

    [platforms.pdd]
    enabled = true
    items = 60                            # open records per list (each replica has a default)
    latency_ms = 300                      # overrides the global latency for this replica
    session_lifetime_s = 28800
    known_device = true                   # false: the login asks for an SMS code
    faults = ["page_500"]                 # see each replica's FAULTS for the names
    [platforms.pdd.fault_args.page_500]
    list = "orders"
    page = 2
    [[platforms.pdd.add.orders]]          # records merged into a list (replica's field names)
    order_sn = "261126-000000000000001"
    buyer_memo = "<script>alert(1)</script>"
    [[platforms.pdd.replace.complaints]]  # records that replace a whole generated list
    ...
"""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with the reason."""


class PlatformScenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    items: int | None = Field(default=None, ge=0)
    latency_ms: int | None = Field(default=None, ge=0)
    session_lifetime_s: int = Field(default=8 * 3600, gt=0)
    known_device: bool = True
    faults: list[str] = Field(default_factory=list)
    fault_args: dict[str, dict[str, Any]] = Field(default_factory=dict)
    add: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    replace: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)

    def has(self, fault: str) -> bool:
        return fault in self.faults

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.fault_args.get(fault, {}).get(name, default)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clock: datetime | None = None
    seed: int = 20261126
    latency_ms: int = Field(default=0, ge=0)
    platforms: dict[str, PlatformScenario] = Field(default_factory=dict)

    def for_platform(self, key: str) -> PlatformScenario:
        return self.platforms.get(key, PlatformScenario())

    def latency_for(self, key: str) -> int:
        own = self.for_platform(key).latency_ms
        return self.latency_ms if own is None else own


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file (TOML, or JSON by extension) with a clear error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"scenario {path} is not valid: {exc}") from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScenarioError(f"scenario {path}: {problems}") from None
