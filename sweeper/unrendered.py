"""The next page of a server-rendered list, read without rendering it.

Opening a page of a server-rendered list costs Chromium a navigation, a parse, style, layout,
paint and raster of the whole page, and the sweep needs none of it but the parse. Measured with
bench/sweep.py (2,000 items, 300 ms): 苏宁 alone 21 CPU-seconds opening its 133 pages, 8 fetching
them; 药房网 14 against 6; 315 11 against 4–5. So, with `fetch_list_pages` (the default), pages after
a list's first are fetched from inside the list's own page (its origin, its cookies, the request
its pager would send: a GET, the pager's form, or a postback's fields), parsed with `DOMParser`,
and read by the same script that reads a page on screen. The first page is always opened, so the
layout checks and page-size select run on the real page.

Anything unexpected is not judged here: no answer, an error status or a redirect to the login
page give None, a page that is not the list is the flow's to tell, and either way the flow opens
that page for real, so its checks and the evidence see what a person would see.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import Error as PlaywrightError

from sweeper.flow import FlowContext
from sweeper.pageops import evaluate_json

# The end of both fetchers: send, parse without rendering, read (`url`, `init`, `read` are set).
# No answer, an error status, or a redirect to the login page (`avoid`, a URL fragment): null.
_ANSWER = (
    " let answer; try { answer = await fetch(url, init); } catch (e) { return null; }"
    " if (answer.status >= 400 || answer.url.includes(avoid)) return null;"
    " return read(new DOMParser().parseFromString(await answer.text(), 'text/html')); }"
)


def reader_of_document(body: str) -> str:
    """`body` is a JS function body reading `doc` (a Document); the function, for both uses."""
    return f"(doc) => {{ {body} }}"


async def read_on_screen(ctx: FlowContext, reader: str) -> Any:
    """Run `reader` on the page as it is shown."""
    return await evaluate_json(ctx.page, f"() => ({reader})(document)")


async def fetch_and_read(ctx: FlowContext, reader: str, url: str, *, login_marker: str) -> Any:
    """GET `url` from inside the page and read the answer with `reader`, never rendering it.
    None when no usable answer came (the caller opens the page for real)."""
    script = (
        "async ([url, avoid, ms]) => { const read = " + reader + ";"
        " const init = {credentials: 'same-origin', signal: AbortSignal.timeout(ms)};" + _ANSWER
    )
    return await _fetched(ctx, script, [url, login_marker, _wait_ms(ctx)])


async def post_form_and_read(
    ctx: FlowContext, reader: str, form_css: str, fields: dict[str, str], *, login_marker: str
) -> Any:
    """Post the page's form `form_css` as it stands, with `fields` set, the way its own submit
    would (its action, its fields), and read the answer with `reader` unrendered. None when the
    form is not there or no usable answer came."""
    script = (
        "async ([css, fields, avoid, ms]) => { const read = " + reader + ";"
        " const form = document.querySelector(css); if (!form) return null;"
        " const data = new FormData(form); for (const [k, v] of Object.entries(fields)) data.set(k, v);"
        " const init = {method: (form.method || 'get').toUpperCase(), credentials: 'same-origin',"
        " signal: AbortSignal.timeout(ms)}; let url = form.action; const body = new URLSearchParams(data);"
        " if (init.method === 'GET') { url += (url.includes('?') ? '&' : '?') + body; }"
        " else { init.body = body; }" + _ANSWER
    )
    return await _fetched(ctx, script, [form_css, fields, login_marker, _wait_ms(ctx)])


async def post_fields_and_read(
    ctx: FlowContext, reader: str, url: str, fields: list[list[str]], *, login_marker: str
) -> Any:
    """POST `fields` (name, value pairs, in order) form-encoded to `url` from inside the page and
    read the answer with `reader` unrendered: a postback of a form that is not on screen (the one a
    fetched page carried). None when no usable answer came."""
    script = (
        "async ([url, fields, avoid, ms]) => { const read = " + reader + ";"
        " const init = {method: 'POST', credentials: 'same-origin', body: new URLSearchParams(fields),"
        " signal: AbortSignal.timeout(ms)};" + _ANSWER
    )
    return await _fetched(ctx, script, [url, fields, login_marker, _wait_ms(ctx)])


def _wait_ms(ctx: FlowContext) -> int:
    """An evaluate has no timeout of its own: the fetch gives up when an action would have."""
    return int(ctx.options.action_timeout_s * 1000)


async def _fetched(ctx: FlowContext, script: str, arg: Any) -> Any:
    try:
        return await evaluate_json(ctx.page, script, arg)
    except PlaywrightError:
        return None  # the page itself went away (navigated, crashed): open it for real


def js(value: Any) -> str:
    """A Python value as a JS literal, for building reader bodies."""
    return json.dumps(value, ensure_ascii=False)
