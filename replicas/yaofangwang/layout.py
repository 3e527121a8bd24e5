"""Page chrome of the 药房网 store back-end: a Bootstrap/Metronic look, inline CSS only.

Also the two error pages the real ASP.NET/IIS stack is known for: the yellow
"Server Error in '/' Application." page and IIS's plain "500 - 内部服务器错误".
"""

from __future__ import annotations

from html import escape

CSS = """
*{box-sizing:border-box}body{margin:0;font:13px/1.6 "Microsoft YaHei","Noto Sans CJK SC",sans-serif;
color:#333;background:#e9ecf3}a{color:#337ab7;text-decoration:none}a:hover{text-decoration:underline}
.page-header{height:50px;background:#2b3643;color:#fff;display:flex;align-items:center;padding:0 20px}
.page-header .logo{font-size:18px;font-weight:bold;color:#fff;margin-right:auto}
.page-header .username{margin-right:15px;color:#c6cfda}.page-header a{color:#fff}
.page-container{display:flex}.page-sidebar{width:200px;background:#364150;min-height:calc(100vh - 50px)}
.page-sidebar-menu{list-style:none;margin:0;padding:10px 0}.page-sidebar-menu li a{display:block;
padding:9px 20px;color:#b4bcc8}.page-sidebar-menu li.active a{background:#36c6d3;color:#fff}
.page-sidebar-menu .heading{padding:14px 20px 4px;color:#5c6873;font-size:12px}
.page-content{flex:1;padding:20px}.page-title{font-size:20px;margin:0 0 15px;font-weight:300}
.portlet{background:#fff;padding:12px 20px 20px;border-radius:4px}
.nav-tabs{display:flex;list-style:none;padding:0;margin:0 0 12px;border-bottom:1px solid #ddd}
.nav-tabs li a{display:block;padding:8px 15px;color:#555}.nav-tabs li.active a{border:1px solid #ddd;
border-bottom-color:#fff;background:#fff;margin-bottom:-1px;color:#333}
.table{width:100%;border-collapse:collapse;margin-bottom:10px}.table th,.table td{border:1px solid #e7ecf1;
padding:8px;vertical-align:top;text-align:left}.table thead th{background:#f2f2f2;font-weight:600}
tr.bg-grey-cararra td,tr.bg-grey-steel td{background:#eeeeee;color:#555}.ml-20{margin-left:20px}
.font-grey{color:#999}.font-red{color:#e7505a}.label{display:inline-block;padding:1px 6px;border-radius:3px;
color:#fff;font-size:12px}.label-success{background:#36c6d3}.label-danger{background:#ed6b75}
.label-warning{background:#F1C40F}.btn{display:inline-block;padding:6px 14px;border:1px solid #ccc;
background:#fff;border-radius:3px;cursor:pointer;font-size:13px}.btn.green{background:#32c5d2;
border-color:#32c5d2;color:#fff}.btn-xs{padding:1px 6px;font-size:12px}
.pager-row{display:flex;align-items:center;justify-content:space-between;gap:10px}
.pagination{display:flex;list-style:none;padding:0;margin:0}.pagination li a,.pagination li span{
display:block;padding:5px 10px;border:1px solid #ddd;margin-left:-1px;color:#337ab7}
.pagination li.active span{background:#337ab7;color:#fff}.pagination li.disabled span{color:#aaa}
.form-control{padding:4px 8px;border:1px solid #c2cad8;border-radius:3px}
.dashboard-stat{display:inline-block;width:220px;margin:0 15px 15px 0;padding:15px;color:#fff;border-radius:4px}
.dashboard-stat .number{font-size:30px}.blue{background:#3598dc}.red{background:#e7505a}
.purple{background:#8E44AD}.green-bg{background:#32c5d2}
.modal-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45)}.modal{position:fixed;top:80px;
left:50%;transform:translateX(-50%);width:520px;background:#fff;border-radius:4px;padding:0 0 12px}
.modal-header{padding:12px 16px;border-bottom:1px solid #eee;font-size:16px}.modal-body{padding:14px 16px}
.modal-footer{padding:0 16px;text-align:right}.empty{text-align:center;color:#999;padding:30px}
"""

MENU = (
    ("首页", "/", "home"),
    ("待发货订单", "/order/list/?status=1", "orders1"),
    ("已发货订单", "/order/list/?status=2", "orders2"),
    ("退款/退货", "/refund/list/?status=0", "refunds"),
    ("处方审核", "/prescription/list/?status=0", "prescriptions"),
    ("买家留言", "/message/list/?status=0", "messages"),
    ("商品管理", "/product/list/", "products"),
)


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def document(title: str, body: str, *, script: str = "") -> str:
    js = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>{body}{js}</body></html>"
    )


def chrome(title: str, active: str, username: str, content: str, *, logout: str = "退出",
           script: str = "") -> str:
    """A store page: header with the user, side menu, content."""
    items = "".join(
        f'<li class="{"active" if key == active else ""}"><a href="{href}">{e(label)}</a></li>'
        for label, href, key in MENU
    )
    body = (
        '<div class="page-header"><a class="logo" href="/">药房网商城 · 药店管理中心</a>'
        f'<span class="username">欢迎您，{e(username)}</span><a href="/logout/">{e(logout)}</a></div>'
        '<div class="page-container"><div class="page-sidebar">'
        f'<ul class="page-sidebar-menu"><li class="heading">店铺管理</li>{items}</ul></div>'
        f'<div class="page-content"><h1 class="page-title">{e(title)}</h1>{content}</div></div>'
    )
    return document(f"{title} - 药房网药店管理中心", body, script=script)


def aspnet_error_page() -> str:
    """The yellow ASP.NET page shown when customErrors hides the details."""
    return (
        "<!DOCTYPE html><html><head><title>Runtime Error</title><style>"
        "body {font-family:\"Verdana\";font-weight:normal;font-size: .7em;color:black;background:white;}"
        "p {font-family:\"Verdana\";font-weight:normal;color:black;margin-top: -5px}"
        "H1 { font-family:\"Verdana\";font-weight:normal;font-size:18pt;color:red }"
        "H2 { font-family:\"Verdana\";font-weight:normal;font-size:14pt;color:maroon }"
        "pre {font-family:\"Consolas\",\"Lucida Console\",Monospace;font-size:11pt;margin:0;padding:0.5em;"
        "line-height:14pt}.marker {font-weight: bold; color: black;text-decoration: none;}"
        "table {background-color:#ffffcc}</style></head><body bgcolor=\"white\">"
        "<span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>"
        "<h2> <i>Runtime Error</i> </h2></span>"
        "<font face=\"Arial, Helvetica, Geneva, SunSans-Regular, sans-serif \">"
        "<b> Description: </b>An application error occurred on the server. The current custom error "
        "settings for this application prevent the details of the application error from being viewed "
        "remotely (for security reasons).<br><br>"
        "<b>Details:</b> To enable the details of this specific error message to be viewable on remote "
        "machines, please create a &lt;customErrors&gt; tag within a \"web.config\" configuration file."
        "<br><br><table width=100% bgcolor=\"#ffffcc\"><tr><td><code><pre>"
        "&lt;configuration&gt;\n    &lt;system.web&gt;\n        &lt;customErrors mode=\"Off\"/&gt;\n"
        "    &lt;/system.web&gt;\n&lt;/configuration&gt;</pre></code></td></tr></table><br></font>"
        "</body></html>"
    )


def iis_500_page() -> str:
    return document(
        "500 - 内部服务器错误。",
        '<div id="header"><h1>服务器错误</h1></div><div id="content"><fieldset>'
        "<h2>500 - 内部服务器错误。</h2><h3>您查找的资源存在问题，因而无法显示。</h3></fieldset></div>",
    )


def pager(total: int, page: int, pages: int, size: int, link: str, *, drift: bool) -> str:
    """'共 N 条，共 N 页', the page-size choice and ?page=N links, as the real list pages have."""
    info_class = "dataTables_info" if drift else "info"

    def item(label: str, target: int, enabled: bool) -> str:
        if not enabled:
            return f'<li class="disabled"><span>{label}</span></li>'
        return f'<li><a href="{link}&amp;page={target}&amp;pagesize={size}">{label}</a></li>'

    numbers = "".join(
        f'<li class="active"><span>{n}</span></li>' if n == page else item(str(n), n, True)
        for n in range(max(1, page - 3), min(pages, page + 3) + 1)
    )
    links = (
        item("首页", 1, page > 1) + item("上一页", page - 1, page > 1) + numbers
        + item("下一页", page + 1, page < pages) + item("末页", pages, page < pages)
    )
    return (
        f'<div class="pager-row"><div class="{info_class}">共 {total} 条，共 {pages} 页</div>'
        f'<ul class="pagination">{links}</ul></div>'
    )


def page_size_select(size: int, *, drift: bool) -> str:
    label = "显示条数" if drift else "每页显示"
    options = "".join(
        f'<option value="{n}"{" selected" if n == size else ""}>{n}</option>' for n in (20, 50, 100)
    )
    return (
        f'<div style="margin-bottom:10px"><label for="ddlPageSize">{label}</label> '
        f'<select id="ddlPageSize" name="pagesize" class="form-control input-xsmall" '
        f'onchange="changePageSize(this.value)">{options}</select> 条</div>'
    )


PAGE_SIZE_JS = """
function changePageSize(size){var u=new URL(location.href);u.searchParams.set('pagesize',size);
u.searchParams.set('page','1');location.href=u.toString();}
"""
