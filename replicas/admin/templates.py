"""HTML of the admin replica: a plain in-house PHP-style admin. Inline CSS and vanilla JS only.

Hook texts the selectors file relies on come from `hooks` (see state.HOOKS) so that the
`markup_drift` fault can rename exactly one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

Hook = Callable[[str], str]

CSS = """
*{box-sizing:border-box}body{margin:0;font:14px/1.5 "Microsoft YaHei","PingFang SC",sans-serif;
color:#333;background:#f0f2f5}a{color:#1e88e5;text-decoration:none}
.top{height:50px;background:#23262e;color:#fff;display:flex;align-items:center;padding:0 20px}
.top .brand{font-size:18px;flex:1}.top a{color:#ddd;margin-left:16px}
.side{position:fixed;top:50px;left:0;bottom:0;width:180px;background:#393d49}
.side a{display:block;color:#c2c2c2;padding:12px 24px}.side a.on{background:#009688;color:#fff}
.main{margin-left:180px;padding:16px}.card{background:#fff;border-radius:2px;padding:16px;margin-bottom:16px}
.counts{display:flex;gap:16px}.count{flex:1;background:#fff;padding:16px;border-top:3px solid #009688}
.count b{display:block;font-size:26px;color:#009688}
table{width:100%;border-collapse:collapse;background:#fff}th,td{border:1px solid #e6e6e6;padding:6px 8px;
text-align:left;font-size:13px;vertical-align:top}th{background:#f2f2f2}.empty{text-align:center;color:#999}
.bar{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin-bottom:12px}select,input{height:32px;
border:1px solid #ddd;padding:0 8px}button{height:32px;border:0;background:#009688;color:#fff;padding:0 16px;
cursor:pointer}button:disabled{background:#c9c9c9;cursor:not-allowed}.pager{display:flex;gap:8px;
align-items:center;margin-top:12px}.err{color:#c00}.tag{background:#ff5722;color:#fff;padding:0 4px;
font-size:12px}.mask{position:fixed;inset:0;background:rgba(0,0,0,.4);display:flex;align-items:center;
justify-content:center;z-index:10}.dialog{background:#fff;width:460px;padding:20px}
.login{width:360px;margin:100px auto;background:#fff;padding:30px}.login label{display:block;margin-top:12px}
.login input{width:100%}.login button{width:100%;margin-top:20px}.cap{display:flex;gap:8px;align-items:center}.cap a{white-space:nowrap}
"""


def page(title: str, body: str, *, script: str = "", attrs: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}'
        f" - 上元堂电商管理系统</title><style>{CSS}</style></head><body {attrs}>{body}"
        f"{f'<script>{script}</script>' if script else ''}</body></html>"
    )


def shell(title: str, active: str, content: str, hook: Hook, user: str, *, script: str = "",
          attrs: str = "") -> str:
    menu = [("/index", "首页"), ("/order/index", "订单管理"), ("/stock/index", "库存管理")]
    links = "".join(
        f'<a href="{href}" class="{"on" if href == active else ""}">{label}</a>' for href, label in menu
    )
    body = (
        f'<div class="top"><span class="brand">上元堂电商管理系统</span><span>{escape(user)}</span>'
        f'<a href="/logout">{hook("logout")}</a></div><nav class="side">{links}</nav>'
        f'<main class="main"><h2>{escape(title)}</h2>{content}</main>'
    )
    return page(title, body, script=script, attrs=attrs)


def login(hook: Hook, *, captcha: bool, ref: str) -> str:
    cap = (
        '<label for="captcha">验证码</label><div class="cap"><input id="captcha" name="captcha" '
        'maxlength="4" autocomplete="off"><img data-testid="captcha-img" alt="图片" width="100" height="34" '
        'src="/captcha"><a href="#" id="cap-refresh">换一张</a></div>'
        if captcha else ""
    )
    body = (
        '<form class="login" id="login-form" method="post" action="/api/login"><h2>上元堂电商管理系统</h2>'
        f'<label for="username">{hook("username")}</label><input id="username" name="username" '
        f'autocomplete="username"><label for="password">{hook("password")}</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password">{cap}'
        f'<button type="submit">{hook("submit")}</button><p class="err" id="login-msg" role="alert"></p>'
        f'<input type="hidden" id="ref" value="{escape(ref)}"></form>'
    )
    return page("登录", body, script=LOGIN_JS)


LOGIN_JS = """
const f=document.getElementById('login-form'),msg=document.getElementById('login-msg');
const img=document.querySelector('[data-testid=captcha-img]');
function refresh(){if(img){img.src='/captcha?t='+Date.now();}}
const r=document.getElementById('cap-refresh');if(r){r.onclick=(e)=>{e.preventDefault();refresh();};}
f.addEventListener('submit',async(e)=>{e.preventDefault();msg.textContent='';
 const body=new URLSearchParams(new FormData(f));
 const hd={'X-Requested-With':'XMLHttpRequest'};let res;
 try{res=await fetch('/api/login',{method:'POST',body,headers:hd});}
 catch(err){msg.textContent='网络错误，请重试';return;}
 if(!res.ok){msg.textContent='服务器错误（'+res.status+'）';return;}
 const j=await res.json();
 if(j.state===10){const ref=document.getElementById('ref').value;
  location.href=(ref&&ref.startsWith('/'))?ref:j.data.url;return;}
 msg.textContent=j.msg;refresh();});
"""


def announcement(hook: Hook) -> str:
    """The 系统公告 dialog over the page (a mask that takes every click) until 我知道了 is clicked."""
    notice = (
        '<div class="mask" id="notice"><div class="dialog" role="dialog" aria-modal="true" '
        'aria-labelledby="notice-title"><h3 id="notice-title">系统公告</h3>'
        "<p>1. 货到付款订单一律发中通快递。</p><p>2. 处方药订单须药师审核后方可发货。</p>"
        "<p>3. 平台补发订单请按格式填写备注：平台名 原订单号 补发 商品名。</p>"
        f'<button type="button" id="notice-ok">{hook("announcement_close")}</button></div></div>'
    )
    script = "const n=document.getElementById('notice-ok');if(n){n.onclick=()=>" \
             "document.getElementById('notice').remove();}"
    return notice + f"<script>{script}</script>"


def dashboard(counts: Iterable[tuple[str, int, str]], hook: Hook, *, announce: bool) -> str:
    cards = "".join(
        f'<a class="count" href="{href}"><b>{n}</b>{escape(label)}</a>' for label, n, href in counts
    )
    content = f'<section class="counts" data-testid="dashboard-counts">{cards}</section>'
    return content + (announcement(hook) if announce else "")


def list_page(kind: str, hook: Hook, filters: str) -> str:
    """The shell of a list page; LIST_JS fills the table from the JSON endpoint."""
    table = hook("order_table") if kind == "order" else hook("stock_table")
    sizes = "".join(f"<option value='{n}'>{n}</option>" for n in (20, 50, 100, 200))
    return (
        f'<div class="card"><div class="bar">{filters}<button type="button" id="query">{hook("query")}'
        f'</button></div><p class="err" id="list-msg" role="alert"></p><table data-testid="{table}">'
        '<thead id="thead"></thead><tbody id="tbody"><tr><td class="empty">加载中…</td></tr></tbody></table>'
        '<div class="pager">共 <b id="total">0</b> 条<button type="button" id="prev">上一页</button>'
        '第 <span id="cur">1</span>/<span id="pages">1</span> 页'
        f'<button type="button" id="next">{hook("next")}</button>'
        f'<label for="page-size">{hook("page_size")}</label><select id="page-size">{sizes}</select>'
        "</div></div>"
    )


def select(name: str, label: str, options: Iterable[tuple[str, str]], chosen: str) -> str:
    opts = "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(t)}</option>'
        for v, t in options
    )
    return f'<label for="f-{name}">{label}</label><select id="f-{name}" data-param="{name}">{opts}</select>'


LIST_JS = """
const B=document.body.dataset,S={page:1,size:20};
const $=(id)=>document.getElementById(id),esc=(s)=>String(s??'').replace(/[&<>"']/g,
 (c)=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const COLS={
 order:[['订单号',(o)=>'<a href="/order/detail?order_no='+encodeURIComponent(o.order_no)+'">'
   +esc(o.order_no)+'</a>'+(String(o.is_reship)==='1'?' <span class="tag">补发</span>':'')],
  ['下单时间',(o)=>esc(o.created_at)],['收货人',(o)=>esc(o.consignee)+'<br>'+esc(o.mobile)],
  ['商品',(o)=>(o.items||[]).map((i)=>esc(i.name)+' '+esc(i.spec)+' ×'+esc(i.qty)
   +(String(i.is_rx)==='1'?' <span class="tag">处方</span>':'')).join('<br>')],
  ['金额',(o)=>'¥'+esc(o.amount)],['收款方式',(o)=>esc(o.pay_type_text)],['快递',(o)=>esc(o.carrier)],
  ['状态',(o)=>esc(o.state_text)],['客户备注',(o)=>esc(o.user_remark)],['后台备注',(o)=>esc(o.admin_remark)]],
 stock:[['SKU',(r)=>esc(r.syt_sku)],['商品',(r)=>esc(r.name)],['规格',(r)=>esc(r.spec)],
  ['可用库存',(r)=>esc(r.stock)],['冻结',(r)=>esc(r.frozen)],['更新时间',(r)=>esc(r.updated_at)]]};
const cols=COLS[B.kind];
$('thead').innerHTML='<tr>'+cols.map((c)=>'<th>'+c[0]+'</th>').join('')+'</tr>';
function query(){const q=new URLSearchParams();
 document.querySelectorAll('[data-param]').forEach((el)=>q.set(el.dataset.param,el.value));
 q.set('page',S.page);q.set('size',S.size);return q;}
async function load(){$('list-msg').textContent='';let res;
 try{res=await fetch(B.api+'?'+query(),{headers:{'X-Requested-With':'XMLHttpRequest'}});}
 catch(e){$('list-msg').textContent='网络错误';return;}
 if(!res.ok){$('list-msg').textContent='服务器错误（'+res.status+'），请稍后重试';return;}
 const j=await res.json();
 if(j.state===401){$('list-msg').textContent=j.msg;const ref=encodeURIComponent(location.pathname+location.search);
  setTimeout(()=>{location.href='/login?ref='+ref;},1500);return;}
 if(j.state!==10){$('list-msg').textContent=j.msg;return;}
 const d=Array.isArray(j.data)?{list:[],total:0,page:1,size:S.size}:j.data;
 const total=parseInt(d.total,10)||0,pages=Math.max(1,Math.ceil(total/S.size));
 $('tbody').innerHTML=d.list.length?d.list.map((o)=>'<tr>'+cols.map((c)=>'<td>'+c[1](o)+'</td>').join('')
  +'</tr>').join(''):'<tr><td class="empty" colspan="'+cols.length+'">暂无数据</td></tr>';
 $('total').textContent=total;$('cur').textContent=S.page;$('pages').textContent=pages;
 $('prev').disabled=S.page<=1;$('next').disabled=S.page>=pages;}
$('query').onclick=()=>{S.page=1;load();};$('prev').onclick=()=>{S.page--;load();};
$('next').onclick=()=>{S.page++;load();};
$('page-size').onchange=(e)=>{S.size=parseInt(e.target.value,10);S.page=1;load();};
load();
"""


def detail(order: dict[str, Any]) -> str:
    fields = [
        ("订单号", "order_no"), ("状态", "state_text"), ("收款方式", "pay_type_text"), ("快递", "carrier"),
        ("金额", "amount"), ("下单时间", "created_at"), ("付款时间", "pay_time"), ("收货人", "consignee"),
        ("手机", "mobile"), ("地址", "address"), ("客户备注", "user_remark"), ("后台备注", "admin_remark"),
    ]
    rows = "".join(f"<tr><th>{k}</th><td>{escape(str(order.get(f, '')))}</td></tr>" for k, f in fields)
    raw_items = order.get("items")
    items = [i for i in raw_items if isinstance(i, dict)] if isinstance(raw_items, list) else []
    goods = "".join(
        f"<tr><td>{escape(str(i.get('syt_sku', '')))}</td><td>{escape(str(i.get('name', '')))}</td>"
        f"<td>{escape(str(i.get('spec', '')))}</td><td>{escape(str(i.get('qty', '')))}</td></tr>"
        for i in items
    )
    return (
        f'<div class="card"><table data-testid="order-detail">{rows}</table></div><div class="card"><table>'
        f"<tr><th>SKU</th><th>商品</th><th>规格</th><th>数量</th></tr>{goods}</table></div>"
    )
