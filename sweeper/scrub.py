"""Taking the credentials out of a Playwright trace before it is kept as evidence.

A trace records what a login leaves behind: cookies (in every request and response, and in the
results of `cookies()` / `storage_state()`), request bodies (the password, an SMS code, a session
token a site posts with every call), typed values (the `fill` actions, their log lines, and the
`value` of inputs in DOM snapshots). Values the runner cannot know in advance, such as the SMS
code a person typed in the hand-off window, are found by where they sit, not by what they are:

    cookies           every value in a `cookies` list, and in Cookie / Set-Cookie headers
    secret headers    Authorization, Anti-Content, ... : the value
    request bodies    the whole body (inline text, form params, or the resource file it points to)
    typing            `fill` / `type` / `press` parameters and log lines; INPUT / TEXTAREA values
                      in snapshots

Every cookie value found (8+ characters) and every known secret, also base64- and URL-encoded,
is then replaced in every other text of the trace (response bodies, URLs, snapshots) by "***".
"""

from __future__ import annotations

import base64
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
_SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization", "anti-content",
                             "x-csrf-token", "x-xsrf-token"})
_TYPING = frozenset({"fill", "type", "press", "pressSequentially", "insertText"})
_TYPED_LOG = re.compile(r'\b(fill|type|press|pressSequentially|insertText)\((".*?"|\'.*?\')\)')
_TYPED_TAGS = frozenset({"INPUT", "TEXTAREA"})
_MIN_LEARNED = 8  # shorter cookie values ("1", "B2C") are not worth replacing everywhere
_JSON_LINES = (".trace", ".network")


def variants(secret: str) -> set[str]:
    """A secret as it may travel: as is, base64 (a 'password encrypt' that is not), URL-encoded."""
    if not secret:
        return set()
    raw = secret.encode("utf-8")
    found = {secret, quote(secret, safe=""), quote_plus(secret),
             base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    return {v for v in found if v} | {v.rstrip("=") for v in found if len(v.rstrip("=")) >= _MIN_LEARNED}


class TraceScrubber:
    """Scrubs one trace's JSON events, learning the cookie values and request bodies it meets."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets: set[str] = set()
        for secret in secrets:
            self.secrets |= variants(secret)
        self.bodies: set[str] = set()  # resource files that hold a request body

    def event(self, event: Any) -> Any:
        self._walk(event)
        return event

    def text(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def _learn(self, value: Any) -> None:
        text = str(value)
        if len(text) >= _MIN_LEARNED and text != MASK:
            self.secrets |= variants(text)

    def _walk(self, node: Any) -> None:
        if isinstance(node, dict):
            self._dict(node)
            for value in node.values():
                self._walk(value)
        elif isinstance(node, list):
            if _typed_node(node):  # ["INPUT", {attributes}, ...] in a DOM snapshot
                node[1]["__playwright_value_"] = MASK
            for item in node:
                self._walk(item)

    def _dict(self, node: dict[str, Any]) -> None:
        for cookie in _dicts(node.get("cookies")):
            if "value" in cookie:
                self._learn(cookie["value"])
                cookie["value"] = MASK
        for header in _dicts(node.get("headers")):
            if str(header.get("name", "")).lower() in _SECRET_HEADERS:
                self._header(header)
        body = node.get("postData")
        if isinstance(body, dict):
            self._body(body)
        params = node.get("params")
        if node.get("method") in _TYPING and isinstance(params, dict):
            for key in ("value", "text", "key"):
                if key in params:
                    params[key] = MASK
        message = node.get("message")
        if node.get("type") == "log" and isinstance(message, str):
            node["message"] = _TYPED_LOG.sub(rf'\1("{MASK}")', message)

    def _header(self, header: dict[str, Any]) -> None:
        value = str(header.get("value", ""))
        for part in re.split(r"[;,]\s*|\n", value):
            name, _, cookie = part.partition("=")
            if cookie and name.strip().lower() not in ("path", "domain", "expires", "max-age", "samesite"):
                self._learn(cookie.strip())
        header["value"] = MASK

    def _body(self, body: dict[str, Any]) -> None:
        if body.get("text"):
            body["text"] = MASK
        for param in _dicts(body.get("params")):
            param["value"] = MASK
        for key in ("_file", "_sha1"):
            if isinstance(body.get(key), str):
                self.bodies.add(body[key].removeprefix("resources/"))


def _typed_node(node: list[Any]) -> bool:
    if len(node) < 2 or not isinstance(node[0], str) or not isinstance(node[1], dict):
        return False
    return node[0] in _TYPED_TAGS and "__playwright_value_" in node[1]


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def scrub_trace(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite a trace zip in place without credentials (see the module docstring)."""
    scrubber = TraceScrubber(secrets)
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    events = {info.filename: _scrub_events(scrubber, data) for info, data in members
              if info.filename.endswith(_JSON_LINES)}
    tmp = path.with_suffix(".scrub.zip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info, _scrubbed_member(scrubber, info.filename, data, events))
    tmp.replace(path)


def _scrub_events(scrubber: TraceScrubber, data: bytes) -> list[Any]:
    lines = data.decode("utf-8", "replace").splitlines()
    return [scrubber.event(_json(line)) for line in lines if line.strip()]


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return line  # not an event: scrubbed as text


def _scrubbed_member(scrubber: TraceScrubber, name: str, data: bytes, events: dict[str, list[Any]]) -> bytes:
    if name in events:
        lines = (e if isinstance(e, str) else json.dumps(e, ensure_ascii=False, separators=(",", ":"))
                 for e in events[name])
        return scrubber.text("\n".join(lines) + "\n").encode("utf-8")
    if name.removeprefix("resources/") in scrubber.bodies:
        return MASK.encode()
    if b"\x00" in data[:512]:
        return data  # an image or a font
    return scrubber.text(data.decode("utf-8", "replace")).encode("utf-8")
