import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sweeper.errors import ConfigError, CredentialMissing
from sweeper.secrets import KeyringCredentials
from sweeper.sessions import SessionStore
from sweeper.settings import load_settings
from tests.memkeyring import MemoryKeyring

REPO = Path(__file__).resolve().parents[2]


def test_toml_file_and_environment_merge_with_env_winning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "sweeper.toml"
    config.write_text(
        '[platforms.pdd]\ntimeout_s = 60\nship_due_soon_hours = 6\n'
        '[platforms.pdd.accounts.flagship]\nlabel = "旗舰店"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SWEEPER_PLATFORMS__PDD__TIMEOUT_S", "90")
    settings = load_settings(config)
    pdd = settings.platform("pdd")
    assert (pdd.timeout_s, pdd.ship_due_soon_hours) == (90, 6)
    assert pdd.accounts["flagship"].label == "旗舰店"


def test_an_invalid_settings_file_is_a_config_error_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[platforms.pdd]\ntimeout_s = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"platforms\.pdd\.timeout_s"):
        load_settings(config)


def test_a_password_field_in_settings_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "pw.toml"
    config.write_text('[platforms.pdd]\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert "hunter2" not in str(info.value)


def test_state_dir_inside_the_repository_is_refused() -> None:
    with pytest.raises(ConfigError, match="outside"):
        load_settings(None, state_dir=REPO / "state")


def test_saved_sessions_are_private_files(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state")
    path = store.save("pdd", "default", {"cookies": [{"name": "PASS_ID", "value": "x"}], "origins": []})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.load("pdd", "default") == {"cookies": [{"name": "PASS_ID", "value": "x"}], "origins": []}
    assert store.last_used("pdd", "default") is not None


def test_keyring_round_trip_lists_names_never_values(memory_keyring: MemoryKeyring) -> None:
    creds = KeyringCredentials()
    creds.set("pdd", "default", "shop-owner", "s3cret-pw")
    assert creds.get("pdd", "default").password.get_secret_value() == "s3cret-pw"
    assert "s3cret-pw" not in repr(creds.get("pdd", "default"))
    assert creds.entries() == ["pdd/default"]
    assert creds.delete("pdd", "default")
    with pytest.raises(CredentialMissing, match="sweeper credentials set pdd --account default"):
        creds.get("pdd", "default")


def test_email_is_off_by_default_and_an_enabled_one_must_be_complete(tmp_path: Path) -> None:
    assert load_settings(None).email.enabled is False
    config = tmp_path / "mail.toml"
    config.write_text('[email]\nenabled = true\nhost = "smtp.exmail.qq.com"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"email: enabled, but lacks username, sender, recipients"):
        load_settings(config)
    config.write_text('[email]\nusername = "robot@shop.cn"\npassword = "hunter2"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"email\.password") as info:
        load_settings(config)
    assert "hunter2" not in str(info.value)


DAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_a_session_lifetime_is_learnt_from_last_good_use_to_refusal(tmp_path: Path) -> None:
    clock = [DAY]
    store = SessionStore(tmp_path / "state", clock=lambda: clock[0])
    store.save("pdd", "default", {"cookies": [], "origins": []})
    assert store.observed_lifetime("pdd") is None
    assert store.likely_expires_before("pdd", "default", DAY + timedelta(days=3)) is None
    store.mark_used("pdd", "default", DAY + timedelta(hours=2))
    assert store.mark_expired("pdd", "default", DAY + timedelta(hours=10)) == timedelta(hours=8)
    assert store.record("pdd", "default").known_expired
    # finding it expired again teaches nothing new
    assert store.mark_expired("pdd", "default", DAY + timedelta(hours=20)) is None
    clock[0] = DAY + timedelta(days=1)
    store.save("pdd", "default", {"cookies": [], "origins": []})  # a fresh login
    record = store.record("pdd", "default")
    assert record.saved_at == record.last_used == DAY + timedelta(days=1) and not record.known_expired
    assert store.likely_expires_before("pdd", "default", DAY + timedelta(days=1, hours=7)) is False
    assert store.likely_expires_before("pdd", "default", DAY + timedelta(days=1, hours=8)) is True
    # another account of the platform: the platform's lifetime applies, the shortest one wins
    store.mark_used("pdd", "shop2", DAY)
    store.mark_expired("pdd", "shop2", DAY + timedelta(hours=6))
    assert store.observed_lifetime("pdd") == timedelta(hours=6)
    assert store.expected_expiry("pdd", "default") == DAY + timedelta(days=1, hours=6)
    assert store.observed_lifetime("suning") is None


def test_session_metadata_is_private_and_the_first_format_still_reads(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "state")
    store.root.mkdir(parents=True)
    (store.root / "meta.json").write_text(json.dumps({"pdd/default": DAY.isoformat()}), encoding="utf-8")
    assert store.last_used("pdd", "default") == DAY
    store.mark_expired("pdd", "default", DAY + timedelta(hours=5))
    assert store.observed_lifetime("pdd") == timedelta(hours=5)
    assert stat.S_IMODE((store.root / "meta.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
