"""Markup of mpassport's login page and masc's SMS step: plain HTML, inline CSS and vanilla JS."""

from __future__ import annotations

from html import escape

_CSS = """
body{margin:0;font:12px/1.6 "Microsoft YaHei","SimSun",sans-serif;background:#f2f2f2;color:#333}
.hd{height:70px;background:#fff;border-bottom:3px solid #ffaa00}
.hd .logo{float:left;margin:18px 0 0 60px;font-size:24px;font-weight:bold;color:#ff6600}
.hd .ttl{float:left;margin:26px 0 0 14px;font-size:16px;color:#666}
.banner{height:460px;background:linear-gradient(90deg,#ffb300,#ff7a00)}
.box{position:relative;left:60%;top:50px;width:340px;background:#fff;padding:24px 30px;
  border-radius:2px;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.box h3{margin:0 0 14px;font-size:18px;font-weight:normal}
.item{margin:0 0 14px}
.item input{width:100%;box-sizing:border-box;height:38px;border:1px solid #ddd;padding:0 10px;font-size:14px}
.err{display:none;background:#fff3e8;border:1px solid #ffc8a0;color:#e4393c;padding:4px 8px;margin-bottom:10px}
#siller{margin:0 0 14px}
.dt_child_content{position:relative;height:36px;background:#e8e8e8;border:1px solid #ddd;user-select:none}
.dt_child_content_bg{position:absolute;left:0;top:0;height:36px;width:0;background:#7ac23c}
.dt_child_text{position:absolute;width:100%;text-align:center;line-height:36px;color:#666}
.dt_child_content_knob{position:absolute;left:0;top:0;width:44px;height:36px;background:#fff;
  border-right:1px solid #ccc;cursor:move;text-align:center;line-height:36px;color:#999}
.dt_ok .dt_child_text{color:#fff}
.login-btn{display:block;height:40px;line-height:40px;text-align:center;background:#ff6600;color:#fff;
  font-size:16px;text-decoration:none;border-radius:2px}
.foot{text-align:center;color:#999;margin-top:20px}
.sms-row{display:flex;gap:8px}.sms-row input{flex:1}
#getPhoneValCode{height:38px;padding:0 12px;border:1px solid #ff6600;background:#fff;color:#ff6600}
.activeOrg{display:block;margin-top:14px;height:40px;line-height:40px;text-align:center;background:#ff6600;
  color:#fff;text-decoration:none;font-size:16px}
"""

_LOGIN_JS = """
(function(){
  var btn=document.getElementById('%(button)s'), siller=document.getElementById('siller');
  var knob=siller.querySelector('.dt_child_content_knob'), track=siller.querySelector('.dt_child_content');
  var bg=siller.querySelector('.dt_child_content_bg'), text=siller.querySelector('.dt_child_text');
  var token=document.getElementById('sillerToken'), err=document.getElementById('loginError');
  var drag=null;
  function showError(msg){err.textContent=msg;err.style.display=msg?'block':'none';}
  function reset(){knob.style.left='0px';bg.style.width='0px';token.value='';track.className='dt_child_content';
    text.textContent='请按住滑块，拖动到最右边';}
  function maxLeft(){return track.clientWidth-knob.offsetWidth;}
  knob.addEventListener('mousedown',function(e){
    if(token.value){return;} drag={x:e.clientX,moves:0,trusted:e.isTrusted,t:Date.now()}; e.preventDefault();});
  document.addEventListener('mousemove',function(e){
    if(!drag){return;} drag.moves++; drag.trusted=drag.trusted&&e.isTrusted;
    var x=Math.max(0,Math.min(maxLeft(),e.clientX-drag.x)); knob.style.left=x+'px'; bg.style.width=x+'px';});
  document.addEventListener('mouseup',function(){
    if(!drag){return;} var d=drag; drag=null;
    if(parseInt(knob.style.left||'0',10)<maxLeft()-2||!d.trusted){reset();return;}
    var body=new URLSearchParams({moves:String(d.moves),ms:String(Date.now()-d.t)});
    fetch('/ids/slider/verify',{method:'POST',body:body}).then(function(r){return r.json();}).then(function(j){
      if(j.success){token.value=j.token;track.className='dt_child_content dt_ok';text.textContent='验证通过';
        showError('');}else{reset();}
    });
  });
  function submit(){
    var u=document.getElementById('userName').value.trim(), p=document.getElementById('password').value;
    if(!u){showError('请输入用户名');return;} if(!p){showError('请输入密码');return;}
    if(siller.style.display==='block'&&!token.value){showError('请按住滑块，拖动到最右边');return;}
    btn.textContent='登录中...';
    var body=new URLSearchParams({jsonViewType:'true',username:u,password:p,service:'%(service)s',
      loginTheme:'%(theme)s',sillerToken:token.value});
    fetch('/ids/login',{method:'POST',body:body}).then(function(r){return r.json();}).then(function(j){
      if(j.success){location.href=j.redirectUrl;return;}
      btn.textContent='登 录';
      if(j.needVerifyCode){siller.style.display='block';reset();}
      showError(j.res_message);
    }).catch(function(){btn.textContent='登 录';showError('网络繁忙，请稍后再试');});
  }
  btn.addEventListener('click',function(e){e.preventDefault();submit();});
  document.getElementById('password').addEventListener('keydown',function(e){if(e.key==='Enter'){submit();}});
})();
"""


def _js_str(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c")


def login_page(*, service: str, theme: str, last_user: str, slider: bool, button_id: str) -> str:
    display = "block" if slider else "none"
    script = _LOGIN_JS % {"button": button_id, "service": _js_str(service), "theme": _js_str(theme)}
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>苏宁会员登录 - 商家统一登录</title>
<style>{_CSS}</style></head>
<body>
<div class="hd"><span class="logo">苏宁易购</span><span class="ttl">商家统一登录</span></div>
<div class="banner"><div class="box">
  <h3>账户登录</h3>
  <div class="err" id="loginError" role="alert"></div>
  <div class="item"><input id="userName" name="userName" type="text" autocomplete="username"
    placeholder="用户名/邮箱/手机号" value="{escape(last_user)}"></div>
  <div class="item"><input id="password" name="password" type="password" autocomplete="current-password"
    placeholder="密码"></div>
  <div id="siller" style="display:{display}">
    <div class="dt_child_content"><div class="dt_child_content_bg"></div>
      <span class="dt_child_text">请按住滑块，拖动到最右边</span>
      <div class="dt_child_content_knob">&gt;&gt;</div></div>
  </div>
  <input type="hidden" id="sillerToken" value="">
  <a id="{escape(button_id)}" class="login-btn" href="javascript:void(0);">登 录</a>
  <div class="foot">苏宁易购 商家服务中心</div>
</div></div>
<script>{script}</script>
</body></html>"""


_SMS_JS = """
(function(){
  var err=document.getElementById('smsError'), get=document.getElementById('getPhoneValCode');
  function showError(msg){err.textContent=msg;err.style.display=msg?'block':'none';}
  function post(url,data){return fetch(url,{method:'POST',body:new URLSearchParams(data)})
    .then(function(r){return r.json();});}
  get.addEventListener('click',function(){
    post('/masc/login/sendCode',{pk:'%(pk)s'}).then(function(j){
      if(!j.success){showError(j.msg);return;}
      get.disabled=true; var left=60; get.textContent=left+'秒后重新获取';
      var timer=setInterval(function(){left--; if(left<=0){clearInterval(timer);get.disabled=false;
        get.textContent='获取验证码';}else{get.textContent=left+'秒后重新获取';}},1000);
    });
  });
  document.querySelector('.activeOrg').addEventListener('click',function(e){
    e.preventDefault(); var code=document.getElementById('validateCode').value.trim();
    if(!code){showError('请输入短信验证码');return;}
    post('/masc/login/validate',{pk:'%(pk)s',code:code}).then(function(j){
      if(j.success){location.href=j.redirectUrl;}else{showError(j.msg);}
    });
  });
})();
"""


def sms_page(*, pk: str, phone: str) -> str:
    script = _SMS_JS % {"pk": _js_str(pk)}
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安全验证 - 苏宁商家</title>
<style>{_CSS}</style></head>
<body>
<div class="hd"><span class="logo">苏宁易购</span><span class="ttl">账户安全验证</span></div>
<div class="banner"><div class="box">
  <h3>短信验证</h3>
  <p>您正在新设备上登录，为了保障账户安全，请进行手机验证。验证码将发送至 {escape(phone)}</p>
  <div class="err" id="smsError" role="alert"></div>
  <div class="item sms-row"><input id="validateCode" type="text" maxlength="6" placeholder="请输入短信验证码">
    <button id="getPhoneValCode" type="button">获取验证码</button></div>
  <a class="activeOrg" href="javascript:void(0);">确 定</a>
</div></div>
<script>{script}</script>
</body></html>"""


def message_page(title: str, message: str, status_note: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_CSS}</style></head>
<body><div class="hd"><span class="logo">苏宁易购</span><span class="ttl">{escape(title)}</span></div>
<div class="box" style="left:30%"><h3>{escape(message)}</h3><p>{escape(status_note)}</p></div></body></html>"""
