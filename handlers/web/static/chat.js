/* 政务服务助手 web chat. Everything the server sends is shown with textContent (never as HTML).
   History first, then live rows over Server-Sent Events; each message id is shown once. */
(function () {
  "use strict";

  var log = document.getElementById("log");
  var main = log.parentNode;
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var root = document.documentElement;
  // the office's words for what this script writes itself (knowledge/messages/web.yaml)
  var WORDS = JSON.parse(document.getElementById("words").textContent);
  var WHO = { resident: WORDS.me, bot: WORDS.bot, staff: WORDS.staff };
  var shown = {};          // id -> <li>
  var lastId = 0;
  var latestButtons = [];  // [label, payload] of the newest message with buttons (typed numbers press them)
  var latestButtonsId = 0;
  var busy = false;
  var stream = null;

  function url(path) { return new URL(path, document.baseURI).toString(); }

  function say(text) { statusLine.textContent = text || ""; }

  // ------------------------------------------------------------ display settings
  function setting(button, cls, key) {
    function apply(on) {
      root.classList.toggle(cls, on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    var saved = false;
    try { saved = window.localStorage.getItem(key) === "1"; } catch (e) { saved = false; }
    apply(saved);
    button.addEventListener("click", function () {
      var on = !root.classList.contains(cls);
      apply(on);
      try { window.localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  }
  setting(document.getElementById("large"), "large", "citizen-web-large");
  setting(document.getElementById("contrast"), "contrast", "citizen-web-contrast");

  var closeButton = document.getElementById("close");
  if (window.parent !== window) {
    closeButton.hidden = false;
    closeButton.addEventListener("click", function () {
      window.parent.postMessage({ type: "citizen-bot:close" }, "*");
    });
  }

  // ------------------------------------------------------------ rendering
  function choiceButton(number, label, payload, extraClass) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "choice" + (extraClass ? " " + extraClass : "");
    if (number) {
      var n = document.createElement("span");
      n.className = "num";
      n.textContent = number + ".";
      n.setAttribute("aria-hidden", "true");
      b.appendChild(n);
    }
    b.appendChild(document.createTextNode(label));
    b.addEventListener("click", function () { post({ payload: payload, label: label }); });
    return b;
  }

  // The answer to this page's own message shows the resident's data in full (a summary to
  // check); the live stream and the history carry the same rows masked. Whichever arrives
  // first, the full text wins on the page that asked.
  function renderOwn(msg) {
    if (msg && typeof msg.id === "number" && shown[msg.id]) {
      shown[msg.id].querySelector(".bubble").textContent = String(msg.text || "");
      return;
    }
    render(msg);
  }

  function render(msg) {
    if (!msg || typeof msg.id !== "number" || shown[msg.id]) { return; }
    var role = WHO.hasOwnProperty(msg.role) ? msg.role : "bot";
    var li = document.createElement("li");
    li.className = "msg " + role;
    li.setAttribute("data-id", String(msg.id));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = WHO[role] + "：";
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = String(msg.text || "");
    li.appendChild(who);
    li.appendChild(bubble);
    var buttons = Array.isArray(msg.buttons) ? msg.buttons : [];
    if (buttons.length) {
      var group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", WORDS.actions);
      buttons.forEach(function (pair, i) {
        group.appendChild(choiceButton(i + 1, String(pair[0]), String(pair[1])));
      });
      li.appendChild(group);
      if (msg.id > latestButtonsId) { latestButtons = buttons; latestButtonsId = msg.id; }
    }
    if (msg.entry) {
      var rating = document.createElement("div");
      rating.className = "buttons rating";
      rating.setAttribute("role", "group");
      rating.setAttribute("aria-label", WORDS.rating);
      rating.appendChild(choiceButton(0, WORDS.useful, "rate:up:" + msg.entry));
      rating.appendChild(choiceButton(0, WORDS.useless, "rate:down:" + msg.entry));
      li.appendChild(rating);
    }
    // keep id order even when the live stream overtakes a reply
    var after = null;
    var items = log.children;
    for (var i = items.length - 1; i >= 0; i--) {
      if (Number(items[i].getAttribute("data-id")) > msg.id) { after = items[i]; } else { break; }
    }
    log.insertBefore(li, after);
    shown[msg.id] = li;
    if (msg.id > lastId) { lastId = msg.id; }
    main.scrollTop = main.scrollHeight;
  }

  // ------------------------------------------------------------ talking to the server
  function request(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url(path), init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || WORDS.unstable); }
        return data;
      });
    }, function () { throw new Error(WORDS.offline); });
  }

  function post(body) {
    if (busy) { say(WORDS.busy); return Promise.resolve(false); }
    busy = true;
    sendButton.disabled = true;
    say(WORDS.replying);
    return request("POST", "api/message", body).then(function (data) {
      (data.messages || []).forEach(renderOwn);
      say(data.notice || "");
      return true;
    }, function (err) {
      say(err.message);
      return false;
    }).then(function (ok) {
      busy = false;
      sendButton.disabled = false;
      return ok;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { say(WORDS.empty); input.focus(); return; }
    var body = { text: text };
    if (/^\d{1,2}$/.test(text)) {
      var n = Number(text);
      if (n >= 1 && n <= latestButtons.length) {
        body = { payload: String(latestButtons[n - 1][1]), label: String(latestButtons[n - 1][0]) };
      }
    }
    post(body).then(function (ok) {
      if (ok) { input.value = ""; }  // on failure the text stays, nothing is lost
      input.focus();
    });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit")); }
    }
  });

  function listen() {
    if (!window.EventSource || stream) { return; }
    stream = new EventSource(url("api/events?after=" + lastId));
    stream.addEventListener("message", function (event) {
      try { render(JSON.parse(event.data)); } catch (e) { /* ignore a malformed event */ }
    });
  }

  request("GET", "api/history").then(function (data) {
    var messages = data.messages || [];
    messages.forEach(render);
    listen();
    if (!messages.length) { return post({ start: true }); }
    return true;
  }, function (err) {
    say(err.message);
  }).then(function () { input.focus(); });
})();
