"""The checks of `sweeper doctor` that need no browser, and the [probe] tables they rely on."""

from __future__ import annotations

import io
import shutil
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from rich.console import Console

from sweeper.checklist import next_slot
from sweeper.doctor import exit_code, render
from sweeper.doctor_checks import (
    FONT_FIX,
    Row,
    choose_platforms,
    credential_row,
    find_cjk_font,
    font_row,
    lifetime_row,
    resolve_targets,
    session_row,
)
from sweeper.doctor_smtp import smtp_row
from sweeper.errors import ConfigError
from sweeper.locators import default_selectors_dir, load_locators
from sweeper.plan import build_targets
from sweeper.runner import Target
from sweeper.secrets import KeyringCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import EmailSettings, PlatformSettings, Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROBED = ("pdd", "pingan", "suning", "yaofangwang", "admin")
# Words of selectors that exist only in some states of a page: never probed.
STATEFUL = ("error", "modal", "captcha", "challenge", "announcement", "notice", "guide", "loading", "busy",
            "empty", "option", "row", "record", "slider")


def _settings(tmp_path: Path, **platforms: PlatformSettings) -> Settings:
    return Settings(state_dir=tmp_path / "state", platforms=platforms)


def _target(tmp_path: Path, key: str = "admin", **options: Any) -> Target:
    (target,) = build_targets(_settings(tmp_path, **{key: PlatformSettings(**options)}), [key])
    return target


# -- [probe] tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PROBED)
def test_each_owned_selectors_file_probes_only_selectors_present_in_every_state(key: str) -> None:
    locators = load_locators(default_selectors_dir() / f"{key}.toml")
    assert locators.probe, key
    for page, refs in locators.probe.items():
        assert "{" not in locators.urls[page]
        assert len(locators.probe_refs(page)) == len(refs) > 0
        for ref in refs:
            table, name = ref.split(".")
            assert table not in ("login", "sms"), ref
            assert not any(word in name for word in STATEFUL), f"{key}: {page} probes {ref}"


def _file(tmp_path: Path, probe: str) -> Path:
    path = tmp_path / "x.toml"
    path.write_text(
        '[site]\nname="x"\nbase_url="http://x"\n[urls]\nhome="/"\ndetail="/d?id={id}"\n'
        '[selectors.home]\nnav = { css = "nav" }\n' + probe,
        encoding="utf-8",
    )
    return path


def test_a_probe_naming_an_unknown_selector_is_a_config_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"x\.toml: \[probe\] home: unknown selector\(s\) home\.menu"):
        load_locators(_file(tmp_path, '[probe]\nhome = ["home.nav", "home.menu"]\n'))


def test_a_probe_of_a_page_missing_from_urls_or_a_url_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[probe\] orders: no such page in \[urls\]"):
        load_locators(_file(tmp_path, '[probe]\norders = ["home.nav"]\n'))
    with pytest.raises(ConfigError, match=r"\[probe\] detail: a URL template"):
        load_locators(_file(tmp_path, '[probe]\ndetail = ["home.nav"]\n'))


def test_a_file_without_probe_loads_with_probe_none(tmp_path: Path) -> None:
    assert load_locators(_file(tmp_path, "")).probe is None


def test_a_broken_selectors_file_fails_its_own_row_and_not_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "selectors"
    shutil.copytree(default_selectors_dir(), folder)
    admin = folder / "admin.toml"
    admin.write_text(admin.read_text(encoding="utf-8").replace('"orders.table"', '"orders.grid"'), "utf-8")
    targets, rows = resolve_targets(_settings(tmp_path), ["admin", "pdd"], None, folder)
    assert [t.platform for t in targets] == ["pdd"]
    broken, fine = rows
    assert (broken.subject, broken.status) == ("admin", "fail")
    assert "orders.grid" in broken.detail and str(admin) in broken.fix
    assert fine.status == "ok" and "probe of 5 pages" in fine.detail


# -- platforms, font ----------------------------------------------------------------------------------


def test_platforms_default_to_the_enabled_ones_and_unknown_names_are_usage_errors(tmp_path: Path) -> None:
    settings = _settings(tmp_path, pdd=PlatformSettings(enabled=False))
    chosen = choose_platforms(settings, [], None)
    assert "pdd" not in chosen and "admin" in chosen
    assert choose_platforms(settings, ["pdd", "pdd"], None) == ["pdd"]
    with pytest.raises(ConfigError, match="unknown platform"):
        choose_platforms(settings, ["taobao"], None)


def test_an_account_limits_the_platforms_to_those_that_have_it(tmp_path: Path) -> None:
    shops = PlatformSettings.model_validate({"accounts": {"flagship": {}}})
    settings = _settings(tmp_path, suning=shops)
    assert choose_platforms(settings, [], "flagship") == ["suning"]
    with pytest.raises(ConfigError, match=r"no account 'flagship'.*pdd"):
        choose_platforms(settings, ["pdd"], "flagship")


def test_the_font_check_takes_a_fontconfig_family_or_a_font_file(tmp_path: Path) -> None:
    listed = "WenQuanYi Zen Hei,文泉驛正黑\nNoto Sans CJK SC,Noto Sans CJK SC Regular\n"
    assert find_cjk_font(lambda: listed, dirs=[]) == "Noto Sans CJK SC"
    (tmp_path / "Windows" / "Fonts").mkdir(parents=True)
    (tmp_path / "Windows" / "Fonts" / "msyh.ttc").write_bytes(b"")
    (tmp_path / "Windows" / "Fonts" / "arial.ttf").write_bytes(b"")
    assert find_cjk_font(lambda: None, dirs=[tmp_path / "nowhere", tmp_path / "Windows"]) == "msyh.ttc"


def test_no_cjk_font_fails_and_says_how_to_install_one(tmp_path: Path) -> None:
    found = find_cjk_font(lambda: "", dirs=[tmp_path])
    row = font_row(found)
    assert found is None and row.status == "fail"
    assert "apt-get install fonts-wqy-zenhei" in row.fix == FONT_FIX


# -- credentials and sessions ----------------------------------------------------------------------


def test_credential_row_names_the_fix_and_never_the_password(tmp_path: Path) -> None:
    target = _target(tmp_path)
    missing = credential_row(target, KeyringCredentials())
    assert missing.status == "fail" and missing.fix == "sweeper credentials set admin --account default"
    KeyringCredentials().set("admin", "default", "shop-owner", "s3cret-pw")
    present = credential_row(target, KeyringCredentials())
    assert present.status == "ok" and "shop-owner" in present.detail
    assert "s3cret-pw" not in repr(present)


def test_no_session_warns_when_the_run_may_log_in_itself_and_fails_when_it_may_not(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state")
    auto = session_row(_target(tmp_path), store, False, SHANGHAI)
    assert auto.status == "warn" and auto.fix == "sweeper login admin --account default"
    manual = session_row(_target(tmp_path, auto_login=False), store, False, SHANGHAI)
    assert manual.status == "fail" and "auto_login is off" in manual.detail
    store.path("admin", "default").parent.mkdir(parents=True)
    store.path("admin", "default").write_text("{not json", encoding="utf-8")
    damaged = session_row(_target(tmp_path), store, store.load("admin", "default") is not None, SHANGHAI)
    assert damaged.status == "fail" and "damaged" in damaged.detail


def test_the_next_slot_is_todays_next_one_or_tomorrows_first() -> None:
    assert next_slot(datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI)) == (
        "0930", datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI))
    assert next_slot(datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI))[0] == "1000"
    assert next_slot(datetime(2026, 11, 26, 17, 30, tzinfo=SHANGHAI)) == (
        "0930", datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI))


def test_lifetime_row_warns_when_the_session_likely_dies_before_the_next_slot(tmp_path: Path) -> None:
    target = _target(tmp_path)
    store = SessionStore(tmp_path / "state")
    day = datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    store.mark_used("admin", "other", day)
    store.mark_expired("admin", "other", day + timedelta(hours=12))  # the platform's sessions: 12 h
    store.mark_used("admin", "default", day + timedelta(hours=8))  # 17:00: good until 05:00
    late = lifetime_row(target, store, day + timedelta(hours=8, minutes=5), present=True, expired_now=False,
                        tz=SHANGHAI)
    assert late.status == "warn" and "before the 0930 slot" in late.detail and "12.0 h" in late.detail
    assert late.fix.startswith("sweeper login admin --account default before 11-26 09:30")
    store.mark_used("admin", "default", day + timedelta(hours=23))  # 08:00 next day: good until 20:00
    fresh = lifetime_row(target, store, day + timedelta(hours=23), present=True, expired_now=False, tz=SHANGHAI)
    assert fresh.status == "ok" and "good until ~11-26 20:00" in fresh.detail


def test_lifetime_row_is_quiet_until_a_lifetime_was_observed(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state")
    store.mark_used("admin", "default", datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
    row = lifetime_row(_target(tmp_path), store, datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI),
                       present=True, expired_now=False, tz=SHANGHAI)
    assert row.status == "ok" and "not observed yet" in row.detail


# -- SMTP -----------------------------------------------------------------------------------------


class Recorder:
    """An SMTP handler that records any mail it is given (doctor must give none)."""

    def __init__(self) -> None:
        self.mail_from: list[str] = []

    async def handle_MAIL(  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.mail_from.append(address)
        return "250 OK"


def _authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"robot@shop.cn", b"right-pw")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Recorder]]:
    recorder = Recorder()
    port = _free_port()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, authenticator=_authenticate, auth_require_tls=False
    )
    controller.start()
    yield port, recorder
    controller.stop()


def _email(port: int, **extra: Any) -> EmailSettings:
    return EmailSettings(enabled=True, host="127.0.0.1", port=port, security="plain", username="robot@shop.cn",
                         sender="robot@shop.cn", recipients=["ops@shop.cn"], timeout_s=5, **extra)


def test_smtp_check_logs_in_and_sends_nothing(smtp_server: tuple[int, Recorder]) -> None:
    port, recorder = smtp_server
    KeyringCredentials().set("smtp", "robot@shop.cn", "robot@shop.cn", "right-pw")
    row = smtp_row(_email(port), KeyringCredentials())
    assert row.status == "ok", row
    assert "logged in as robot@shop.cn" in row.detail and recorder.mail_from == []


def test_smtp_check_reports_a_refused_password_without_printing_it(smtp_server: tuple[int, Recorder]) -> None:
    port, _ = smtp_server
    KeyringCredentials().set("smtp", "robot@shop.cn", "robot@shop.cn", "wrong-pw")
    row = smtp_row(_email(port), KeyringCredentials())
    assert row.status == "fail" and "refused the login" in row.detail and "535" in row.detail
    assert row.fix == "sweeper credentials set smtp --account robot@shop.cn"
    assert "wrong-pw" not in repr(row)


def test_smtp_check_fails_clearly_when_nothing_listens_or_no_password_is_stored() -> None:
    KeyringCredentials().set("smtp", "robot@shop.cn", "robot@shop.cn", "right-pw")
    down = smtp_row(_email(_free_port()), KeyringCredentials())
    assert down.status == "fail" and "ConnectionRefusedError" in down.detail
    assert "email.host" in down.fix
    KeyringCredentials().delete("smtp", "robot@shop.cn")
    missing = smtp_row(_email(_free_port()), KeyringCredentials())
    assert missing.status == "fail" and missing.fix == "sweeper credentials set smtp --account robot@shop.cn"


def test_smtp_disabled_is_a_skipped_line_not_a_failure() -> None:
    row = smtp_row(EmailSettings(), KeyringCredentials())
    assert row.status == "skip" and exit_code([row]) == 0


# -- the table ----------------------------------------------------------------------------------------


def test_the_table_shows_each_fix_and_a_verdict_and_only_a_fail_makes_exit_1() -> None:
    rows = [
        Row("CJK font", "linux", "ok", "WenQuanYi Zen Hei"),
        Row("session saved", "pdd/default", "warn", "none yet", "sweeper login pdd --account default"),
        Row("selector drift", "pingan/default", "warn", "no probe defined", "add a [probe] table"),
    ]
    out = io.StringIO()
    render(rows, Console(file=out, width=1000))
    text = out.getvalue()
    assert "sweeper login pdd --account default" in text and "add a [probe] table" in text
    assert "verdict: READY" in text and "2 warning(s)" in text
    assert exit_code(rows) == 0
    failing = [*rows, Row("credential", "pdd/default", "fail", "no login", "sweeper credentials set pdd")]
    out = io.StringIO()
    render(failing, Console(file=out, width=1000))
    assert "verdict: NOT READY: 1 check(s) failed" in out.getvalue()
    assert exit_code(failing) == 1
