"""Load and validate `selectors/<platform>.toml`: the only place site markup is named.

A selectors file is data an operator may edit when a real site changes. Its tables:

    [site]       name (shown in the report), base_url (default, settings may override),
                 built_from (where the facts came from)
    [urls]       page paths, relative to base_url
    [api]        path fragments of the JSON endpoints whose responses a flow reads
    [texts]      visible texts a flow reacts to (challenge words, error texts, empty-list texts)
    [selectors.<page>]  name = { css | testid | role (+name) | text | label | placeholder,
                                 has_text?, exact?, nth? }
    [undrawn]    optional: `css`, selectors of list bodies whose rows the flow reads from the site's
                 JSON answers; a headless sweep does not draw them (sweeper.lean_drawing)
    [probe]      optional: per logged-in page (a key of [urls]), the selectors ("page.name") that
                 are always on it, whatever the data; `sweeper doctor` looks for each on the live
                 page to catch drift. Never list state-dependent ones (errors, modals, captchas,
                 rows of a list that may be empty, a "next" link absent on the last page).

Each flow declares the entries it needs; a missing or malformed entry is a ConfigError at start-up,
before any browser opens. Files are read by path, never imported (the standard library owns the
module name `selectors`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, Self

from playwright.async_api import FrameLocator, Locator, Page
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sweeper.errors import ConfigError

AriaRole = Literal[
    "button", "link", "textbox", "tab", "row", "cell", "combobox", "option", "dialog", "table",
    "checkbox", "heading", "listitem", "menuitem", "img", "columnheader", "tabpanel", "alert",
]
_STRATEGIES = ("css", "testid", "role", "text", "label", "placeholder")


class Selector(BaseModel):
    """One way to find an element, in Playwright's order of preference."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    css: str | None = None
    testid: str | None = None
    role: AriaRole | None = None
    name: str | None = Field(default=None, description="accessible name, with role")
    text: str | None = None
    label: str | None = None
    placeholder: str | None = None
    has_text: str | None = Field(default=None, description="narrow any strategy to elements with text")
    exact: bool = False
    nth: int | None = None

    @model_validator(mode="after")
    def _one_strategy(self) -> Self:
        chosen = [s for s in _STRATEGIES if getattr(self, s) is not None]
        if len(chosen) != 1:
            raise ValueError(f"give exactly one of {', '.join(_STRATEGIES)} (got {chosen or 'none'})")
        if self.name is not None and self.role is None:
            raise ValueError("'name' only goes with 'role'")
        return self

    def describe(self) -> str:
        for strategy in _STRATEGIES:
            value = getattr(self, strategy)
            if value is not None:
                extra = f" name={self.name!r}" if self.name else ""
                return f"{strategy}={value!r}{extra}"
        return "?"

    def resolve(self, root: Page | Locator | FrameLocator) -> Locator:
        """Turn the data into a Playwright locator under `root`."""
        loc = self._base(root)
        if self.has_text is not None:
            loc = loc.filter(has_text=self.has_text)
        if self.nth is not None:
            loc = loc.nth(self.nth)
        return loc

    def _base(self, root: Page | Locator | FrameLocator) -> Locator:
        if self.css is not None:
            return root.locator(self.css)
        if self.testid is not None:
            return root.get_by_test_id(self.testid)
        if self.role is not None:
            return root.get_by_role(self.role, name=self.name, exact=self.exact or None)
        if self.text is not None:
            return root.get_by_text(self.text, exact=self.exact)
        if self.label is not None:
            return root.get_by_label(self.label, exact=self.exact)
        assert self.placeholder is not None
        return root.get_by_placeholder(self.placeholder, exact=self.exact)


class SiteInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    base_url: str
    built_from: str = ""


class Undrawn(BaseModel):
    """`[undrawn]`: list bodies a headless sweep leaves undrawn (sweeper.lean_drawing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    css: list[str] = Field(
        default_factory=list,
        description="CSS selectors of list bodies whose rows the flow reads from JSON, never the screen",
    )

    @field_validator("css")
    @classmethod
    def _plain_selectors(cls, value: list[str]) -> list[str]:
        for selector in value:
            # Braces or a comment would let one entry open or close rules of its own.
            if not selector.strip() or any(mark in selector for mark in ("{", "}", "/*", "*/")):
                raise ValueError(f"not a plain CSS selector: {selector!r}")
        return value


class Locators(BaseModel):
    """A validated selectors file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site: SiteInfo
    urls: dict[str, str] = Field(default_factory=dict)
    api: dict[str, str] = Field(default_factory=dict)
    texts: dict[str, list[str]] = Field(default_factory=dict)
    selectors: dict[str, dict[str, Selector]] = Field(default_factory=dict)
    probe: dict[str, list[str]] | None = Field(
        default=None, description="page (a [urls] key) -> 'page.name' selectors always present there"
    )
    undrawn: Undrawn = Field(default_factory=Undrawn)

    @model_validator(mode="after")
    def _probe_refs_exist(self) -> Self:
        for page, refs in (self.probe or {}).items():
            path = self.urls.get(page)
            if path is None:
                raise ValueError(f"[probe] {page}: no such page in [urls]")
            if "{" in path:
                raise ValueError(f"[probe] {page}: a URL template ({path}) cannot be opened by itself")
            unknown = [r for r in refs if self._lookup(r) is None]
            if unknown:
                raise ValueError(f"[probe] {page}: unknown selector(s) {', '.join(unknown)}")
        return self

    def _lookup(self, ref: str) -> Selector | None:
        table, _, name = ref.partition(".")
        return self.selectors.get(table, {}).get(name)

    def probe_refs(self, page: str) -> list[tuple[str, Selector]]:
        """The ('page.name', Selector) pairs `doctor` expects on one page (validated on load)."""
        return [(ref, sel) for ref in (self.probe or {}).get(page, []) if (sel := self._lookup(ref))]

    def selector(self, page: str, name: str) -> Selector:
        try:
            return self.selectors[page][name]
        except KeyError:
            raise ConfigError(f"selectors file has no [selectors.{page}] {name}") from None

    def text(self, name: str) -> list[str]:
        try:
            return self.texts[name]
        except KeyError:
            raise ConfigError(f"selectors file has no [texts] {name}") from None

    def check_required(self, required: Mapping[str, Sequence[str]]) -> list[str]:
        """Names a flow needs that this file lacks, as 'table.name' strings."""
        missing: list[str] = []
        for table, names in required.items():
            if table in ("urls", "api", "texts"):
                present: Mapping[str, object] = getattr(self, table)
            else:
                present = self.selectors.get(table.removeprefix("selectors."), {})
            missing += [f"{table}.{n}" for n in names if n not in present]
        return missing


def load_locators(path: Path) -> Locators:
    """Read and validate one selectors file, with errors that name the file and the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"selectors file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    # TOML lets a text be a single string; flows always get a list.
    texts = data.get("texts", {})
    if isinstance(texts, dict):
        data["texts"] = {k: [v] if isinstance(v, str) else v for k, v in texts.items()}
    try:
        return Locators.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(err["loc"], err["msg"]) for err in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None


def _problem(loc: tuple[int | str, ...], msg: str) -> str:
    where = ".".join(str(p) for p in loc)
    msg = msg.removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def default_selectors_dir() -> Path:
    """The repository's `selectors/` in a checkout, else the copy packed into the wheel."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "selectors"
    return checkout if checkout.is_dir() else here / "_selectors"
