"""HTML pages: login, home and the four list pages (their data comes from the JSON APIs)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from replicas.pdd.envelope import Endpoint
from replicas.pdd.render import Renderer, esc
from replicas.pdd.state import PddState

LOGIN_NOTICE = "为保障店铺经营，请勿将账号借给他人使用；建议使用新版 Chrome 浏览器访问商家后台。"
ANNOUNCEMENT = (
    "<p>关于规范处方药销售的通知：处方药须凭处方在药师指导下购买和使用，请商家在发货前完成处方审核。</p>"
    "<p>未审核的处方订单同样计入发货时效，请及时处理。（演示环境公告）</p>"
)
AFTERSALE_GUIDE = (
    "<p>欢迎使用售后工作台。请先完成售后设置：退货地址、售后小助手与极速退款规则。</p>"
    "<p>完成设置后可在“售后设置”中随时修改。</p>"
)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login/?redirectUrl={quote(target, safe='')}", status_code=302)


def safe_target(raw: str | None) -> str:
    """A same-site path to continue to after login, else the home page."""
    if not raw:
        return "/home/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not raw.startswith("/") or raw.startswith("//"):
        return "/home/"
    return "/home/" if parts.path.startswith("/login") else raw


def login_body(r: Renderer) -> str:
    return f"""<div class="login-page">
<header class="login-header"><div class="mms-logo">拼多多<small>商家后台</small></div></header>
<main class="login-main">
  <div class="login-banner"><h1>拼多多商家后台</h1><p>一站式店铺经营管理</p><p class="muted">订单、售后、处方审核，一处处理</p></div>
  <div class="login-box">
    <div class="tab-box">
      <div class="tab-item first-item active" data-tab="qr">扫码登录</div>
      <div class="tab-item last-item" data-tab="account">账号登录</div>
    </div>
    <div class="qr-panel">
      <div class="qr-code"><canvas width="168" height="168"></canvas>
        <div class="qr-scanned" hidden>扫码成功<p>请在手机上确认登录</p></div></div>
      <p class="qr-tip">请使用拼多多商家版App扫一扫</p>
    </div>
    <div class="info-content account-panel" hidden>
      <div class="{r.cls("IPT_outerWrapper")}"><input id="usernameId" class="{r.cls("IPT_input")}" type="text"
        placeholder="手机号/用户名" autocomplete="username"></div>
      <div class="{r.cls("IPT_outerWrapper")}"><input id="passwordId" class="{r.cls("IPT_input")}" type="password"
        placeholder="密码" autocomplete="current-password"></div>
      {r.button("登录", primary=True, extra=f"login-btn {r.cls('BTN_large')}")}
    </div>
    <div class="sms-panel" hidden>
      <div class="sms-title">短信验证</div>
      <p class="sms-tip">当前设备首次登录，请输入发送至 <span class="sms-mobile"></span> 的6位短信码</p>
      <div class="sms-row"><input id="mobileVerifyCode" class="{r.cls("IPT_input")}" maxlength="6"
        placeholder="6位短信码" inputmode="numeric">{r.button("获取验证码", extra="sms-send")}</div>
      {r.button("确定", primary=True, extra="sms-ok")}
    </div>
    <span class="info-error-text"></span>
  </div>
</main>
<footer class="login-footer">演示环境 · 数据均为合成数据</footer>
</div>{r.modal("温馨提示", f"<p>{esc(LOGIN_NOTICE)}</p>", [("我知道了", True)], kind="login-notice")}"""


def routes(state: PddState, r: Renderer) -> list[Route]:
    def now() -> int:
        return int(state.now())

    async def root(request: Request) -> Response:
        return RedirectResponse("/home/", status_code=302)

    async def login(request: Request) -> Response:
        if state.session_for(request, api=False) is not None:
            return RedirectResponse(safe_target(request.query_params.get("redirectUrl")), status_code=302)
        doc = r.document("登录 - 拼多多商家后台", login_body(r), css=["mms.css", "login.css"],
                         scripts=["core.js", "login.js"], config={"page": "login"})
        return HTMLResponse(doc)

    async def home(request: Request) -> Response:
        session = state.session_for(request, api=False)
        if session is None:
            return login_redirect(request)
        modal = ""
        if not session.announced:
            session.announced = True
            modal = r.modal("重要公告", ANNOUNCEMENT, [("我知道了", True)], kind="announcement")
        content = f"""<div class="page-title">后台首页</div>
<section class="card"><div class="card-title">待办事项</div><div class="todo-list" id="todo-list">加载中</div></section>
<section class="card"><div class="card-title">服务数据</div><div class="metrics">
  <div><div class="muted">消费者服务体验分</div><div class="num">4.82</div></div>
  <div><div class="muted">3分钟人工回复率</div><div class="num">91.3%</div></div>
  <div><div class="muted">近30天投诉率</div><div class="num">0.12%</div></div></div></section>
<section class="card"><div class="card-title">平台公告</div><ul class="notice-list">
  <li>商家后台功能升级说明（演示）</li><li>处方药订单审核规范（演示）</li></ul></section>{modal}"""
        return r.page("后台首页", content, session=session, active="home", scripts=["home.js"])

    def list_page(active: str, title: str, filters: str, extra: str = "") -> Endpoint:
        async def endpoint(request: Request) -> Response:
            session = state.session_for(request, api=False)
            if session is None:
                return login_redirect(request)
            box = f'<div class="card">{filters}</div>' if filters else ""
            content = (f'<div class="page-title">{esc(title)}</div>{extra}{box}'
                       '<div class="card"><div id="list-table"></div></div>')
            if active == "aftersales" and state.fault("aftersale_onboarding"):
                content += r.modal("售后设置", AFTERSALE_GUIDE, [("我知道了", True)], kind="aftersale-guide")
            config = {"now": now(), "tab": 1 if request.query_params.get("tab") == "1" else 0}
            return r.page(title, content, session=session, active=active,
                          scripts=["table.js", "lists.js"], config=config)

        return endpoint

    query = r.button("查询", primary=True, attrs={"id": "btn-query"})
    orders_filters = f"""<div class="filter-row">
  <div class="filter-item"><label>订单状态</label><div id="f-order-status"></div></div>
  <div class="filter-item"><label>售后状态</label><div id="f-after-status"></div></div>
  {query}</div>"""
    aftersale_tiles = """<div class="card"><div class="card-title">售后数据</div><div class="tiles" id="as-tiles"></div></div>
<div class="card"><div id="as-cards"></div></div>"""
    aftersale_filters = f"""<div class="filter-row">
  <div class="filter-item"><label>订单编号</label><input id="f-search" class="{r.cls("IPT_input")}" placeholder="请输入订单编号"></div>
  {query}<a href="#" id="toggle-advanced">展开高级查询</a></div>
<div id="advanced" hidden><div class="filter-row" style="margin-top:12px">
  <div class="filter-item"><label>操作类型</label><span class="muted">全部</span></div></div></div>"""
    work_tabs = '<div class="card"><div id="wo-tabs"></div></div>'
    medicine_filters = f"""<div class="filter-row">
  <div class="filter-item"><label>处方来源</label><div id="f-source"></div></div>
  <div class="filter-item"><label>审核状态</label><div id="f-status"></div></div>
  {query}</div>"""

    return [
        Route("/", root),
        Route("/login/", login),
        Route("/login", login),
        Route("/home/", home),
        Route("/home", home),
        Route("/orders/list", list_page("orders", "订单查询", orders_filters)),
        Route("/aftersales/aftersale_list", list_page("aftersales", "退款/售后", aftersale_filters, aftersale_tiles)),
        Route("/aftersales/work_order/list", list_page("work_orders", "工单管理", "", work_tabs)),
        Route("/orders/medicine", list_page("medicine", "处方单管理", medicine_filters)),
    ]
