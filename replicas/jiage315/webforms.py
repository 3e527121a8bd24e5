"""The ASP.NET WebForms machinery the replica reproduces: view state, event validation, postbacks
and the yellow "Server Error in '/' Application." page.

View state is what makes a WebForms page a state machine: the server keeps the GridView's page
index, the chosen filter and page size in `__VIEWSTATE`, MAC-protected with the machine key and
`ViewStateUserKey` (the `ASP.NET_SessionId`, the usual anti-CSRF setting), and the page posts it
back with every event. A view state that is missing, tampered with, from another session or made
before the machine key changed (an app-pool recycle) is refused with the yellow error page, as are
postbacks naming an event the last rendering did not offer (`__EVENTVALIDATION`).
Like the real thing (`ObjectStateFormatter`), a token starts with the bytes FF 01 0F, so "/wEP…".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from collections.abc import Iterable
from html import escape
from typing import Any

_HEADER = b"\xff\x01\x0f"  # version marker + "Pair": base64 "/wEP…"
_MAC_BYTES = 20
INVALID_STATE = "The state information is invalid for this page and might be corrupted."
MAC_FAILED = (
    "Validation of viewstate MAC failed. If this application is hosted by a Web Farm or cluster, ensure "
    "that &lt;machineKey&gt; configuration specifies the same validationKey and validation algorithm. "
    "AutoGenerate cannot be used in a cluster."
)
INVALID_POSTBACK = (
    'Invalid postback or callback argument.  Event validation is enabled using &lt;pages '
    'enableEventValidation="true"/&gt; in configuration or &lt;%@ Page EnableEventValidation="true" %&gt; '
    "in a page."
)


class ViewStateError(Exception):
    """A postback the page framework refuses; `args[0]` is the message of the yellow page."""

    def __init__(self, message: str, exception_type: str = "System.Web.HttpException") -> None:
        super().__init__(message)
        self.exception_type = exception_type


def generator(path: str) -> str:
    """`__VIEWSTATEGENERATOR`: eight hex digits that identify the page class."""
    return f"{zlib.crc32(path.lower().encode()):08X}"


class StateCodec:
    """Seals and opens `__VIEWSTATE` / `__EVENTVALIDATION` with the current machine key."""

    def __init__(self, machine_key: bytes) -> None:
        self.machine_key = machine_key

    def _mac(self, purpose: str, user_key: str, payload: bytes) -> bytes:
        message = f"{purpose}|{user_key}|".encode() + payload
        return hmac.new(self.machine_key, message, hashlib.sha256).digest()[:_MAC_BYTES]

    def seal(self, purpose: str, user_key: str, value: Any) -> str:
        payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.b64encode(_HEADER + payload + self._mac(purpose, user_key, payload)).decode()

    def open(self, purpose: str, user_key: str, token: str) -> Any:
        try:
            raw = base64.b64decode(token.encode(), validate=True)
        except ValueError:
            raise ViewStateError(INVALID_STATE, "System.Web.UI.ViewStateException") from None
        if not token or not raw.startswith(_HEADER) or len(raw) <= len(_HEADER) + _MAC_BYTES:
            raise ViewStateError(INVALID_STATE, "System.Web.UI.ViewStateException")
        payload, mac = raw[len(_HEADER):-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(purpose, user_key, payload)):
            raise ViewStateError(MAC_FAILED, "System.Web.HttpException")
        return json.loads(payload)

    # -- one page's round trip ----------------------------------------------------------------

    def hidden_fields(self, path: str, user_key: str, state: dict[str, Any], events: Iterable[str]) -> str:
        """The hidden inputs a page renders: view state at the top of the form, validation at the end."""
        view_state = self.seal("vs:" + path.lower(), user_key, state)
        allowed = sorted({zlib.crc32(e.encode()) for e in events})
        validation = self.seal("ev:" + path.lower(), user_key, allowed)
        return (
            '<div class="aspNetHidden">\n<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />\n'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />\n'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{escape(view_state)}" />\n</div>\n'
            f"{DO_POSTBACK}\n"
            '<div class="aspNetHidden">\n'
            f'<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="{generator(path)}" />\n'
            f'<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{escape(validation)}" />\n'
            "</div>"
        )

    def postback(self, path: str, user_key: str, form: dict[str, str], events: Iterable[str]) -> dict[str, Any]:
        """Open a postback's view state and check every event it claims against the last rendering.

        `events` are the (control|argument) entries this postback uses: the event target and each
        posted DropDownList value.
        """
        if form.get("__VIEWSTATEGENERATOR", "") != generator(path):
            raise ViewStateError(MAC_FAILED)
        state = self.open("vs:" + path.lower(), user_key, form.get("__VIEWSTATE", ""))
        allowed = set(self.open("ev:" + path.lower(), user_key, form.get("__EVENTVALIDATION", "")))
        for event in events:
            if zlib.crc32(event.encode()) not in allowed:
                raise ViewStateError(INVALID_POSTBACK, "System.ArgumentException")
        if not isinstance(state, dict):
            raise ViewStateError(INVALID_STATE, "System.Web.UI.ViewStateException")
        return state


# What ASP.NET 4.x emits right after the first hidden block of a form named "aspnetForm".
DO_POSTBACK = """<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['aspnetForm'];
if (!theForm) {
    theForm = document.aspnetForm;
}
function __doPostBack(eventTarget, eventArgument) {
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }
}
//]]>
</script>"""


def postback_href(unique_id: str, argument: str) -> str:
    return f"javascript:__doPostBack(&#39;{unique_id}&#39;,&#39;{argument}&#39;)"


def autopostback(unique_id: str) -> str:
    """The `onchange` of an AutoPostBack DropDownList, as ASP.NET renders it."""
    return f"javascript:setTimeout(&#39;__doPostBack(\\&#39;{unique_id}\\&#39;,\\&#39;\\&#39;)&#39;, 0)"


def server_error_page(message: str, exception_type: str, *, description: str = "") -> str:
    """The yellow page of an unhandled exception (customErrors off, as small shops often leave it)."""
    description = description or (
        "An unhandled exception occurred during the execution of the current web request. Please review "
        "the stack trace for more information about the error and where it originated in the code."
    )
    return (
        f"<!DOCTYPE html>\n<html>\n<head>\n<title>{message}</title>\n<meta name=\"viewport\" "
        'content="width=device-width" />\n<style>\n body {font-family:"Verdana";font-weight:normal;'
        'font-size: .7em;color:black;} \n p {font-family:"Verdana";font-weight:normal;color:black;'
        'margin-top: -5px}\n H1 { font-family:"Verdana";font-weight:normal;font-size:18pt;color:red }\n'
        ' H2 { font-family:"Verdana";font-weight:normal;font-size:14pt;color:maroon }\n'
        " pre {font-family:\"Consolas\",\"Lucida Console\",Monospace;font-size:11pt;margin:0;padding:0.5em;"
        "line-height:14pt}\n table {background-color:#ffffcc}\n</style>\n</head>\n"
        '<body bgcolor="white">\n<span><H1>Server Error in \'/\' Application.<hr width=100% size=1 '
        f"color=silver></H1>\n<h2> <i>{message}</i> </h2></span>\n"
        '<font face="Arial, Helvetica, Geneva, SunSans-Regular, sans-serif ">\n'
        f"<b> Description: </b>{description}\n<br><br>\n"
        f"<b> Exception Details: </b>{exception_type}: {message}<br><br>\n"
        '<hr width=100% size=1 color=silver>\n<b>Version Information:</b>&nbsp;Microsoft .NET Framework '
        "Version:4.0.30319; ASP.NET Version:4.8.4465.0\n</font>\n</body>\n</html>"
    )
