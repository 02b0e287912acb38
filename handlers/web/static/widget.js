/* 政务服务助手: one-line embed for the portal.
     <script src="https://chat.example.gov.cn/widget.js" defer></script>
   Adds a button (its label: data-label, else web.widget_label in the office's catalogue); it
   opens the chat page as an overlay iframe (Esc or 关闭 closes it). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__citizenBotWidget) { return; }
  window.__citizenBotWidget = true;
  var base = new URL(".", script.src);
  var origin = base.origin;
  var label = script.getAttribute("data-label") || {{widget_label}};

  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-haspopup", "dialog");
  var s = button.style;
  s.position = "fixed"; s.right = "16px"; s.bottom = "16px"; s.zIndex = "2147483646";
  s.minHeight = "52px"; s.padding = "0 20px"; s.fontSize = "18px"; s.fontWeight = "bold";
  s.border = "0"; s.borderRadius = "26px"; s.background = "#b71c1c"; s.color = "#fff";
  s.boxShadow = "0 2px 8px rgba(0,0,0,.3)"; s.cursor = "pointer";

  var overlay = null;
  var frame = null;

  function close() {
    if (!overlay) { return; }
    overlay.style.display = "none";
    button.style.display = "";
    button.focus();
  }

  function open() {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", label);
      var o = overlay.style;
      o.position = "fixed"; o.zIndex = "2147483647"; o.right = "0"; o.bottom = "0";
      o.width = "min(100vw, 440px)"; o.height = "min(100vh, 720px)"; o.background = "#fff";
      o.boxShadow = "0 0 16px rgba(0,0,0,.35)";
      frame = document.createElement("iframe");
      frame.src = base.href;
      frame.title = label;
      frame.setAttribute("referrerpolicy", "no-referrer");
      var f = frame.style;
      f.width = "100%"; f.height = "100%"; f.border = "0";
      overlay.appendChild(frame);
      document.body.appendChild(overlay);
      overlay.addEventListener("keydown", function (e) { if (e.key === "Escape") { close(); } });
    }
    overlay.style.display = "";
    button.style.display = "none";
    frame.focus();
  }

  window.addEventListener("message", function (event) {
    if (event.origin === origin && event.data && event.data.type === "citizen-bot:close") { close(); }
  });
  button.addEventListener("click", open);
  function mount() { document.body.appendChild(button); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
