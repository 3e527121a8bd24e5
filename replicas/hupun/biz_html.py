"""HTML of the biz host's business pages (real: old-erp.hupun.com/calf-biz/trade/*).

Facts (docs/platforms.md §8 and a public userscript driving those pages): `#app` > query bar
`div.query-condition.header.box.header-bar` with `div.top-box` (filters in `ul > li`, a primary
"查询" and a plain "重置" button, `div.more-button` that gets `.opened` and reveals
`div.query-box.more.show-more`), `div.btns-bar … div.right-wrap > div.hp-pager > div.drop-page >
div.el-select.select-page-size` offering up to 1000 rows, `el-select-dropdown` lists rendered at
body level, a vxe grid (`table-trades vxe-table`, `tr[rowid] td[colid]`), and a `#panelTask`
system-task panel whose head's second div closes it. Rows come from JSON (list.js); like vxe-table
by default (`scroll-y.gt` = 100), a page of more rows keeps only the rows in view in the DOM.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from replicas.hupun.erp_html import Hook, esc, static

PAGE_SIZES = ("50", "100", "200", "500", "1000")
DEFAULT_SIZE = 100
TIME_RANGES = ("近7天", "近30天", "近90天")
REMARK_FILTER = ("全部备注", "有内容", "无内容")
TRADE_TYPES = ("全部", "普通", "补发", "售后")
WMS_STATES = ("全部", "待分配", "已分配", "锁库失败", "挂起", "缺货", "波次打单", "零拣打单", "待拣货", "待出库", "已出库")
EXCEPTION_FILTER = ("全部", "包含异常", "排除异常")
REMARK_API, WMS_API, TASK_API = "/calf-biz/api/trade/remark/list", "/calf-biz/api/wms/order/list", "/calf-biz/api/task/list"


def _select(prop: str, options: Sequence[str], value: str, css: str = "el-select--mini") -> str:
    return (
        f'<div class="el-select {css}" data-prop="{esc(prop)}" data-value="{esc(value)}" data-initial="{esc(value)}" '
        f"data-options='{esc(json.dumps(list(options), ensure_ascii=False))}'><div class=\"el-input el-input--mini "
        f'el-input--suffix"><input readonly class="el-input__inner" value="{esc(value)}"><span class="el-input__suffix">'
        '<span class="el-input__suffix-inner"><i class="el-select__caret el-icon-arrow-up">▾</i></span></span></div></div>'
    )


def _item(label: str, control: str) -> str:
    return f'<li class="query-item"><label class="query-label">{esc(label)}</label>{control}</li>'


def _page(title: str, hook: Hook, top: str, more: str, table: str, config: Mapping[str, object], extra: str = "") -> str:
    sizes = json.dumps(list(PAGE_SIZES))
    body = f"""<div id="app"><div class="page-wrap"><div>
<div class="query-condition header box header-bar"><div class="top-box"><ul class="query-list">{top}</ul>
 <div class="btn-box"><button type="button" class="el-button el-button--primary el-button--medium"><span>查询</span></button>
 <button type="button" class="el-button el-button--default el-button--medium is-plain"><span>重置</span></button>
 <div class="{esc(hook("more_button"))}">更多<i class="el-icon-arrow-down">▾</i></div></div></div>
 <div class="query-box more"><ul>{more}</ul></div></div>
<div class="btns-bar"><div><div class="left-wrap"><span class="page-title">{esc(title)}</span></div><div class="right-wrap">
 <div class="{esc(hook("pager"))}"><span class="pager-total">共 <b>0</b> 条</span>
 <button type="button" class="btn-prev disabled" title="上一页">‹</button><span class="pager-current">1 / 1</span>
 <button type="button" class="btn-next disabled" title="下一页">›</button>
 <div class="drop-page"><div class="el-select select-page-size" data-value="{DEFAULT_SIZE}" data-initial="{DEFAULT_SIZE}"
  data-options='{sizes}'><div class="el-input el-input--suffix"><input readonly class="el-input__inner" value="{DEFAULT_SIZE}">
  <span class="el-input__suffix"><span><i class="el-select__caret">▾</i></span></span></div></div><span>条/页</span></div>
 </div></div></div></div></div>
<div class="content flex-box"><div><div class="{esc(table)} vxe-table size--mini">
 <table class="vxe-table--header"><thead></thead></table><div class="vxe-body--y-space"></div><table class="vxe-table--body"><tbody></tbody></table>
 <div class="vxe-table--empty-block">暂无数据</div></div></div></div>{extra}</div></div>"""
    config = {**config, "pager": hook("pager"), "more": hook("more_button"), "defaultSize": DEFAULT_SIZE}
    script = (
        f"window.HP_PAGE={json.dumps(config, ensure_ascii=False)};\n{static('common.js')}\n{static('list.js')}\n"
        f"{static('tasks.js') if 'taskPanel' in config else ''}"
    )
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<link rel="icon" href="data:,"><style>{static("biz.css")}</style></head><body>{body}<script>{script}</script></body></html>'
    )


def remark_page(hook: Hook, platforms: Sequence[str], initial: dict[str, str]) -> str:
    top = (
        _item("平台", _select("platform", ("全部", *platforms), "全部"))
        + _item("订单类型", _select("tradeType", TRADE_TYPES, "全部"))
        + _item("备注", '<div class="switch-input"><div class="combox-box">'
                + _select("remark", REMARK_FILTER, "全部备注", "") + "</div></div>")
    )
    more = _item("下单时间", _select("timeRange", TIME_RANGES, TIME_RANGES[0])) + _item(
        "线上单号", '<input class="plain" data-prop="tid" placeholder="多个用逗号隔开">'
    )
    config = {"view": "remark", "api": REMARK_API, "table": hook("remark_table"), "initial": initial}
    return _page("订单备注", hook, top, more, hook("remark_table"), config)


def wms_page(hook: Hook, platforms: Sequence[str], poll_ms: int) -> str:
    top = _item("环节", _select("state", WMS_STATES, "全部")) + _item(
        "平台", _select("platform", ("全部", *platforms), "全部")
    )
    more = _item("订单异常分类", _select("exception", EXCEPTION_FILTER, "全部"))
    panel_id = hook("task_panel")
    panel = (
        f'<div id="{esc(panel_id)}" class="task-panel"><div class="task-panel__head"><div>系统任务</div>'
        '<div class="el-icon-close" title="关闭">关闭 ×</div></div><div class="task-panel__body"><table class="task-table">'
        "<thead><tr><th>任务编号</th><th>任务名称</th><th>状态</th><th>订单数</th><th>创建时间</th><th>完成时间</th></tr>"
        '</thead><tbody></tbody></table><div class="task-refreshed" style="display:none"></div></div></div>'
    )
    config = {"view": "wms", "api": WMS_API, "table": hook("wms_table"), "initial": {},
              "taskPanel": panel_id, "taskApi": TASK_API, "taskPollMs": poll_ms}
    return _page("B2C出库·订单分配", hook, top, more, hook("wms_table"), config, panel)


def not_logged_in() -> str:
    """What the iframe shows when its session is gone; it tells the shell, which goes to log in."""
    script = "setTimeout(function(){window.parent.postMessage({type:'hp:not-login'},'*');},800);"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录失效</title>'
        f'<style>{static("biz.css")}</style></head><body><div class="notice" role="alert">登录已失效，请重新登录</div>'
        f"<script>{script}</script></body></html>"
    )
