from pathlib import Path

import pytest

from sweeper.errors import ConfigError
from sweeper.flow import discover_flows
from sweeper.locators import default_selectors_dir, load_locators


def test_every_selectors_file_is_valid_and_complete_for_its_flow() -> None:
    flows = discover_flows()
    assert "pdd" in flows
    for key, flow in flows.items():
        locators = load_locators(default_selectors_dir() / f"{key}.toml")
        assert locators.check_required(flow.required) == [], key


def test_an_entry_with_two_strategies_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text(
        '[site]\nname="x"\nbase_url="http://x"\n[selectors.login]\nuser = { css = "#u", text = "用户" }\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"selectors\.login\.user"):
        load_locators(bad)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "y.toml"
    bad.write_text("[site\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"y\.toml"):
        load_locators(bad)


def test_missing_entries_are_listed(tmp_path: Path) -> None:
    good = tmp_path / "z.toml"
    good.write_text('[site]\nname="z"\nbase_url="http://z"\n[urls]\nhome="/"\n', encoding="utf-8")
    locators = load_locators(good)
    assert locators.check_required({"urls": ["home", "login"], "selectors.login": ["user"]}) == [
        "urls.login",
        "selectors.login.user",
    ]
