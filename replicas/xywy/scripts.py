"""The list pages' script: reads tab, page and size from the address, loads one page of JSON, renders
the table and the pager, and keeps `?page=` / `?size=` in the address (history.pushState), so a page of
the list can be bookmarked or reloaded. An expired session shows the "系统提示" box [I]."""

from __future__ import annotations

LIST_JS = r"""
const B=document.body.dataset,$=(id)=>document.getElementById(id);
const esc=(s)=>String(s??'').replace(/[&<>"']/g,(c)=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const link=(path,key,v)=>'<a href="'+path+'?'+key+'='+encodeURIComponent(v??'')+'">'+esc(v)+'</a>';
function left(s,deadline){if(s===null||s===undefined||s==='')return '-';const n=parseInt(s,10);
 if(isNaN(n))return esc(s);const d=Math.floor(n/86400),h=Math.floor(n%86400/3600),m=Math.floor(n%3600/60);
 return '<span class="'+(n<86400?'warn':'')+'" title="处理截止 '+esc(deadline)+'">'+(d?d+'天':'')+h+'小时'+m+'分</span>';}
const COLS={
 order:[['订单编号',(o)=>link('/order/detail','orderSn',o.orderSn)+(String(o.payType)==='2'?' <span class="tag">货到付款</span>':'')],
  ['商品',(o)=>(Array.isArray(o.goodsList)?o.goodsList:[]).map((g)=>esc(g.goodsName)+' '+esc(g.spec)+' ×'+esc(g.num)).join('<br>')],
  ['实付金额',(o)=>'¥'+esc(o.totalAmount)],
  ['收货人',(o)=>esc(o.receiverName)+' '+esc(o.receiverPhone)+'<br>'+esc(o.receiverAddress)],
  ['下单时间',(o)=>esc(o.createTime)],['承诺发货时间',(o)=>esc(o.promiseShipTime)],
  ['订单状态',(o)=>esc(o.orderStatusName)],['买家留言',(o)=>esc(o.buyerRemark)]],
 refund:[['退款编号',(r)=>link('/refund/detail','refundSn',r.refundSn)+'<br>订单 '+esc(r.orderSn)],
  ['商品',(r)=>esc(r.goodsName)],['退款金额',(r)=>'¥'+esc(r.refundAmount)],['退款类型',(r)=>esc(r.refundTypeName)],
  ['退款原因',(r)=>esc(r.reason)],['申请时间',(r)=>esc(r.applyTime)],
  ['剩余处理时间',(r)=>left(r.remainSeconds,r.handleDeadline)],['状态',(r)=>esc(r.refundStatusName)]],
 consult:[['咨询编号',(c)=>link('/consult/detail','consultSn',c.consultSn)],['商品',(c)=>esc(c.goodsName)],
  ['买家',(c)=>esc(c.buyerNick)],['咨询内容',(c)=>esc(c.content)],['咨询时间',(c)=>esc(c.createTime)],
  ['状态',(c)=>esc(c.replyStatusName)]]};
const cols=COLS[B.kind],sizes=Array.from($('page-size').options,(o)=>parseInt(o.value,10));
const S={};
function fromAddress(){const q=new URLSearchParams(location.search);S.tab=q.get(B.param)??B.tab;
 S.page=Math.max(1,parseInt(q.get('page')||'1',10)||1);const size=parseInt(q.get('size')||'',10);
 S.size=sizes.includes(size)?size:sizes[0];$('page-size').value=String(S.size);}
function say(text){$('list-msg').textContent=text;}
function expired(text){if($('expired'))return;const box=document.createElement('div');box.className='mask';box.id='expired';
 box.innerHTML='<div class="dialog" role="dialog" aria-modal="true" aria-labelledby="expired-title">'
  +'<h3 id="expired-title">系统提示</h3><p>'+esc(text)+'，您可以继续留在该页面，或者重新登录</p>'
  +'<button type="button" class="primary" id="relogin">重新登录</button> <button type="button" id="stay">取消</button></div>';
 document.body.appendChild(box);
 $('relogin').onclick=()=>{location.href='/login?redirect='+encodeURIComponent(location.pathname+location.search);};
 $('stay').onclick=()=>box.remove();}
async function load(push){say('');
 const q=new URLSearchParams({[B.param]:S.tab,pageNum:S.page,pageSize:S.size});let res,j;
 try{res=await fetch(B.api+'?'+q,{headers:{'X-Requested-With':'XMLHttpRequest'}});}catch(e){say('网络异常，请稍后重试');return;}
 if(!res.ok){say('服务器错误（'+res.status+'），请稍后重试');return;}
 try{j=await res.json();}catch(e){say('数据格式错误');return;}
 if(j.code===401){expired(j.msg||'登录状态已过期');return;}
 if(j.code!==200){say(j.msg||'系统错误');return;}
 const d=j.data||{records:[],total:0,pages:0},rows=Array.isArray(d.records)?d.records:[];
 const pages=Math.max(1,parseInt(d.pages,10)||1);
 $('thead').innerHTML='<tr>'+cols.map((c)=>'<th>'+c[0]+'</th>').join('')+'</tr>';
 $('tbody').innerHTML=rows.length?rows.map((r)=>'<tr>'+cols.map((c)=>'<td>'+c[1](r)+'</td>').join('')+'</tr>').join('')
  :'<tr><td class="empty" colspan="'+cols.length+'">暂无数据</td></tr>';
 $('total').textContent=d.total;$('cur').textContent=S.page;$('pages').textContent=pages;
 $('prev').disabled=S.page<=1;$('next').disabled=S.page>=pages;
 const url='?'+new URLSearchParams({[B.param]:S.tab,page:S.page,size:S.size});
 if(push){history.pushState(null,'',url);}else{history.replaceState(null,'',url);}}
$('prev').onclick=()=>{S.page--;load(true);};$('next').onclick=()=>{S.page++;load(true);};
$('page-size').onchange=(e)=>{S.size=parseInt(e.target.value,10);S.page=1;load(true);};
window.addEventListener('popstate',()=>{fromAddress();load(false);});
fromAddress();load(false);
"""
