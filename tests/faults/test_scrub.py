"""Scrubbing a trace, on a small synthetic one: every place a credential sits in a trace."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sweeper.scrub import MASK, scrub_trace, variants

PASSWORD = "demo-pass-2026"
SESSION = "PHPSESSID-0123456789abcdef"
TOKEN = "wtk-9e423e7c7872fdaf5ac6"
SMS = "029233"


def _events() -> list[dict[str, Any]]:
    return [
        {"type": "before", "callId": "c1", "method": "fill", "params": {"selector": "#pwd", "value": PASSWORD}},
        {"type": "log", "callId": "c1", "message": f'  fill("{SMS}")'},
        {"type": "before", "callId": "c2", "method": "click", "params": {"selector": "#ok"}},
        {"type": "after", "callId": "c3", "result": {"cookies": [{"name": "PHPSESSID", "value": SESSION}]}},
        {"type": "frame-snapshot", "snapshot": {"html": ["BODY", {}, ["INPUT", {"__playwright_value_": SMS, "id": "code"}],
                                                         ["SELECT", {"__playwright_value_": "100"}]]}},
    ]


def _network() -> list[dict[str, Any]]:
    request = {"method": "POST", "url": "https://x/login", "cookies": [{"name": "PHPSESSID", "value": SESSION}],
               "headers": [{"name": "Cookie", "value": f"PHPSESSID={SESSION}; _wtk={TOKEN}"},
                           {"name": "Accept", "value": "text/html"}],
               "postData": {"mimeType": "application/json", "text": "", "_file": "resources/body.json"}}
    response = {"status": 200, "cookies": [{"name": "PHPSESSID", "value": SESSION}],
                "headers": [{"name": "Set-Cookie", "value": f"PHPSESSID={SESSION}; path=/; HttpOnly"}],
                "content": {"_sha1": "answer.json"}}
    return [{"type": "resource-snapshot", "snapshot": {"request": request, "response": response}}]


def _trace(tmp_path: Path) -> Path:
    path = tmp_path / "trace.zip"
    encoded = base64.b64encode(PASSWORD.encode()).decode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("trace.trace", "\n".join(json.dumps(e) for e in _events()) + "\n")
        archive.writestr("trace.network", "\n".join(json.dumps(e) for e in _network()) + "\n")
        archive.writestr("resources/body.json", json.dumps({"password": encoded, "mobileVerifyCode": SMS}))
        archive.writestr("resources/answer.json", json.dumps({"token": TOKEN, "echo": SESSION, "rows": [1, 2]}))
        archive.writestr("resources/page.png", b"\x89PNG\x00\x00" + SESSION.encode())
    return path


def test_every_credential_a_trace_holds_is_masked_and_the_rest_kept(tmp_path: Path) -> None:
    path = _trace(tmp_path)
    scrub_trace(path, [PASSWORD])
    with zipfile.ZipFile(path) as archive:
        texts = {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if not n.endswith(".png")}
        png = archive.read("resources/page.png")
    for name, text in texts.items():
        for secret in (PASSWORD, base64.b64encode(PASSWORD.encode()).decode(), SESSION, TOKEN):
            assert secret not in text, (secret, name)
    assert SMS not in texts["trace.trace"] and texts["resources/body.json"] == MASK
    events = [json.loads(line) for line in texts["trace.trace"].splitlines()]
    assert events[2]["params"] == {"selector": "#ok"}  # actions other than typing are kept as they were
    assert events[4]["snapshot"]["html"][3] == ["SELECT", {"__playwright_value_": "100"}]  # only typed fields
    network = json.loads(texts["trace.network"])["snapshot"]
    assert network["request"]["headers"][1] == {"name": "Accept", "value": "text/html"}
    assert json.loads(texts["resources/answer.json"])["rows"] == [1, 2]
    assert png.startswith(b"\x89PNG")  # binary members are copied untouched


@pytest.mark.parametrize("secret", ["p@ss word/+?", "中文密码123", "x" * 40])
def test_a_secret_is_also_looked_for_encoded(secret: str) -> None:
    found = variants(secret)
    assert secret in found and base64.b64encode(secret.encode()).decode() in found
    assert any("%" in v or "+" in v for v in found) or secret.isalnum() or secret == "x" * 40


def test_a_trace_that_cannot_be_read_is_left_for_the_caller_to_drop(tmp_path: Path) -> None:
    broken = tmp_path / "trace.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        scrub_trace(broken, [PASSWORD])
