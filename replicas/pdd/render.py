"""HTML building blocks: the page shell, side nav, BeastCore modal markup, inlined static files.

CSS and JS live in `static/` and are inlined into each page (no extra requests, nothing external).
Class names carry the build suffix; data-testids go through `tid` so `markup_drift` can rename one.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse

from replicas.pdd.state import PddState, Session
from replicas.pdd.vocab import SHOP_NAME

STATIC = Path(__file__).parent / "static"
# Bound before any server-rendered modal is parsed, so a click on its button always closes it.
MODAL_CLOSE = (
    "document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('.modal-close');"
    "if(b){var w=b.closest('[data-modal]');if(w)w.remove();}});"
)

NAV: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("", (("home", "后台首页", "/home/"),)),
    ("发货管理", (
        ("orders", "订单查询", "/orders/list?msfrom=mms_sidenav"),
        ("", "发货中心", ""),
        ("", "物流工具", ""),
        ("medicine", "处方单管理", "/orders/medicine"),
    )),
    ("售后管理", (
        ("aftersales", "退款/售后", "/aftersales/aftersale_list?msfrom=mms_sidenav"),
        ("work_orders", "工单管理", "/aftersales/work_order/list"),
        ("", "小额打款", ""),
    )),
    ("商品管理", (("", "商品列表", ""), ("", "评价管理", ""))),
    ("客服", (("", "客服工作台", ""),)),
)


@cache
def static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class Renderer:
    def __init__(self, state: PddState) -> None:
        self.state = state
        self.suffix = state.suffix

    def cls(self, *names: str) -> str:
        return " ".join(f"{n}_{self.suffix}" for n in names)

    def tid(self, name: str) -> str:
        return f"{name}-v2" if name == self.state.drift else name

    def button(self, text: str, *, primary: bool = False, extra: str = "",
               attrs: dict[str, str] | None = None) -> str:
        names = ("BTN_outerWrapper", "BTN_primary") if primary else ("BTN_outerWrapper",)
        more = "".join(f' {k}="{esc(v)}"' for k, v in (attrs or {}).items())
        return (f'<button type="button" class="{esc(self.cls(*names))} {esc(extra)}"{more} '
                f'data-testid="{esc(self.tid("beast-core-button"))}">{esc(text)}</button>')

    def modal(self, title: str, body_html: str, buttons: list[tuple[str, bool]], *, kind: str) -> str:
        """A BeastCore modal over a mask that takes every click; only its buttons close it."""
        footer = "".join(self.button(t, primary=p, extra="modal-close") for t, p in buttons)
        return (
            f'<div class="{esc(self.cls("MDL_outerWrapper"))}" data-modal="{esc(kind)}">'
            f'<div class="{esc(self.cls("MDL_mask"))}" data-testid="{esc(self.tid("beast-core-modal-mask"))}"></div>'
            f'<div class="{esc(self.cls("MDL_modal"))}" role="dialog" aria-modal="true" '
            f'data-testid="{esc(self.tid("beast-core-modal"))}">'
            f'<div class="{esc(self.cls("MDL_header"))}">{esc(title)}</div>'
            f'<div class="{esc(self.cls("MDL_body"))}">{body_html}</div>'
            f'<div class="{esc(self.cls("MDL_footer"))}">{footer}</div></div></div>'
        )

    def side_nav(self, active: str) -> str:
        parts = ['<nav class="__msfe__side-nav side-nav">']
        for group, items in NAV:
            if group:
                parts.append(f'<div class="nav-title">{esc(group)}</div>')
            for key, label, href in items:
                if href:
                    state = " active" if key == active else ""
                    parts.append(f'<a class="nav-item{state}" href="{esc(href)}">{esc(label)}</a>')
                else:
                    parts.append(f'<span class="nav-item">{esc(label)}</span>')
        parts.append("</nav>")
        return "".join(parts)

    def document(self, title: str, body: str, *, css: list[str], scripts: list[str],
                 config: dict[str, Any]) -> str:
        styles = "\n".join(static(c).replace("__S__", self.suffix) for c in css)
        code = "\n".join(static(s) for s in scripts)
        data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        return (
            '<!DOCTYPE html>\n'
            f'<html lang="zh-CN" data-build="{esc(self.suffix)}" data-drift="{esc(self.state.drift)}">'
            '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)}</title><link rel="icon" href="data:,"><style>{styles}</style>'
            f'<script>{MODAL_CLOSE}</script></head>'
            f'<body>{body}<script type="application/json" id="page-config">{data}</script>'
            f'<script>{code}</script></body></html>'
        )

    def page(self, title: str, content: str, *, session: Session, active: str,
             scripts: list[str] | None = None, config: dict[str, Any] | None = None,
             status: int = 200) -> HTMLResponse:
        """A logged-in page: header, side nav, content."""
        header = (
            '<header class="mms-header"><div class="mms-logo">拼多多<small>商家后台</small></div>'
            f'<div class="spacer"></div><span class="shop">{esc(SHOP_NAME)}</span>'
            f'<span class="user">{esc(session.username)}</span><a href="#" class="logout-link">退出</a></header>'
        )
        body = f'{header}{self.side_nav(active)}<main class="mms-main">{content}</main>'
        doc = self.document(
            f"{title} - 拼多多商家后台", body, css=["mms.css"],
            scripts=["core.js", *(scripts or [])], config={"page": active, **(config or {})},
        )
        return HTMLResponse(doc, status_code=status)
