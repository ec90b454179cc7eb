/*
 * Website chat widget of the « Assistant emploi et vie locale », embedded with one tag:
 *
 *   <script src="https://PASSERELLE/static/widget.js" data-gateway="https://PASSERELLE"
 *           data-title="Assistant emploi" data-color="#1d4f91" defer></script>
 *
 * Vanilla JavaScript, no build step, no dependency. Everything lives in a Shadow DOM so the host
 * page's styles cannot break it. Safety rule: message content is only ever inserted with
 * `textContent` or as attributes of elements built here (links are `<a>` built from http(s) URLs);
 * never as HTML.
 */
(function () {
  "use strict";

  if (window.__assistantEmploiWidget) return; // the tag pasted twice must not build two widgets
  window.__assistantEmploiWidget = true;

  // ---------------------------------------------------------------- configuration ---------------
  var script =
    document.currentScript ||
    document.querySelector("script[data-gateway][src*='widget.js']") ||
    document.querySelector("script[src*='widget.js']");
  var data = (script && script.dataset) || {};
  var scriptUrl = script && script.src ? script.src : window.location.href;

  function httpUrl(value, base) {
    try {
      var url = new URL(String(value), base || window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  var gatewayUrl = httpUrl(data.gateway || new URL(scriptUrl).origin);
  var GATEWAY = (gatewayUrl ? gatewayUrl.href : new URL(scriptUrl).origin).replace(/\/+$/, "");
  var TITLE = (data.title || "Assistant emploi et vie locale").slice(0, 80);
  var DEFAULT_COLOR = "#1d4f91";
  var MAX_CHARS = parseInt(data.maxChars, 10) > 0 ? parseInt(data.maxChars, 10) : 2000;
  var SIDE = data.position === "left" ? "left" : "right";
  var STORE_KEY = "assistant-emploi-widget:v1:" + GATEWAY;
  var OPEN_KEY = STORE_KEY + ":open";
  var MAX_STORED_MESSAGES = 80; // enough for a real conversation, small enough for localStorage
  var MAX_STORED_TEXT = 4000;
  var IDLE_RESET_MS = 24 * 3600 * 1000; // a shared computer should not show yesterday's chat
  var HANDOFF_MAX_MS = 4 * 3600 * 1000; // stop listening for an adviser after this long
  var REQUEST_TIMEOUT_MS = 45000;
  var POLL_MS = 4000;
  var RETRY_STEPS_MS = [1000, 2000, 4000, 8000, 15000];

  var T = {
    bubble: "Une question ?",
    open: "Ouvrir la discussion avec l'assistant",
    close: "Fermer la discussion",
    reset: "Nouvelle conversation",
    resetConfirm: "Effacer cette conversation et en commencer une nouvelle ?",
    forget: "Effacer mes données",
    forgetConfirm:
      "Effacer définitivement vos données (conversation, profil de CV, demandes, échanges avec un conseiller) ?",
    forgetFailed: "Vos données n'ont pas pu être effacées. Réessayez dans quelques minutes.",
    subtitle: "Assistant automatique. Un conseiller peut prendre le relais.",
    log: "Conversation",
    label: "Votre message",
    placeholder: "Votre question…",
    hint: "Entrée pour envoyer, Maj + Entrée pour aller à la ligne.",
    send: "Envoyer",
    typing: "L'assistant écrit…",
    you: "Vous :",
    bot: "Assistant :",
    adviser: "Conseiller",
    info: "Information :",
    quickReplies: "Réponses proposées",
    newWindow: " (nouvelle fenêtre)",
    download: "Télécharger",
    pending: "Envoi en attente…",
    offline: "Connexion perdue, nouvelle tentative…",
    online: "Connexion rétablie.",
    tooLong: function (n) {
      return (
        "Votre message est trop long : " + fmt(n) + " caractères pour " + fmt(MAX_CHARS) +
        " au maximum. Pouvez-vous le raccourcir ?"
      );
    },
    counter: function (n) {
      return fmt(n) + " / " + fmt(MAX_CHARS) + " caractères";
    },
    unread: function (n) {
      return n > 1 ? n + " nouveaux messages" : "1 nouveau message";
    },
    error: "Une erreur inattendue s'est produite et votre message n'a peut-être pas été traité. Réessayez dans un instant.",
    welcome:
      "Bonjour ! Je suis l'assistant automatique emploi et vie locale. Posez votre question avec vos mots, par exemple : « aide pour le permis » ou « logement alternant ».",
    welcomeButton: { title: "Voir ce que je sais faire", payload: "/ask_capabilities" },
  };

  function fmt(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function codePoints(text) {
    return Array.from(text).length; // the gateway counts characters, not UTF-16 units
  }

  // ---------------------------------------------------------------- storage ---------------------
  function readJson(storage, key) {
    try {
      var raw = storage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null; // storage disabled, full or corrupted: start afresh
    }
  }

  function writeJson(storage, key, value) {
    try {
      storage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private browsing or quota: the conversation still works, only without memory */
    }
  }

  function newSessionId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // One id per message, reused when the same message is sent again after a time-out: the
  // gateway then returns the replies it already gave instead of making a second turn.
  function newMessageId() {
    var c = window.crypto || window.msCrypto;
    // randomUUID exists only in secure contexts (https, localhost) and recent browsers.
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (e) {
        /* fall back to random bytes below */
      }
    }
    return newSessionId();
  }

  function freshState() {
    return { v: 1, sessionId: newSessionId(), messages: [], after: 0, handoff: null, updatedAt: Date.now() };
  }

  function loadState() {
    var stored = readJson(window.localStorage, STORE_KEY);
    var valid =
      stored &&
      stored.v === 1 &&
      /^[A-Za-z0-9_-]{1,64}$/.test(stored.sessionId || "") &&
      Array.isArray(stored.messages) &&
      Date.now() - (stored.updatedAt || 0) < IDLE_RESET_MS;
    return valid ? stored : freshState();
  }

  var state = loadState();

  function saveState() {
    state.updatedAt = Date.now();
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    writeJson(window.localStorage, STORE_KEY, state);
  }

  // ---------------------------------------------------------------- colours (WCAG contrast) -----
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function toCss(rgb) {
    return "rgb(" + rgb.map(Math.round).join(", ") + ")";
  }

  function parseColour(value, probeParent) {
    var probe = document.createElement("span");
    probe.style.color = String(value || "");
    if (!probe.style.color) return null; // not a CSS colour
    probeParent.appendChild(probe);
    var match = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(getComputedStyle(probe).color);
    probe.remove();
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
  }

  function palette(brand) {
    var white = [255, 255, 255], dark = [17, 17, 17], black = [0, 0, 0];
    var onBrand = contrast(white, brand) >= 4.5 ? white : contrast(dark, brand) >= 4.5 ? dark : black;
    // Links and focus rings sit on white or light grey: darken the brand until it reads there.
    var text = brand.slice(), botBg = [238, 241, 245];
    for (var i = 0; i < 20 && contrast(text, botBg) < 4.8; i++) {
      text = text.map(function (v) {
        return v * 0.85;
      });
    }
    return { brand: toCss(brand), onBrand: toCss(onBrand), brandText: toCss(text) };
  }

  // ---------------------------------------------------------------- DOM helpers -----------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  // A speech-bubble icon drawn here (no emoji font needed, no markup string parsed).
  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "aw-bubble-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    svg.appendChild(path);
    return svg;
  }

  function srOnly(text) {
    return el("span", { className: "aw-sr", text: text });
  }

  // http(s) URLs in plain text become <a> elements; everything else stays a text node.
  var URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'«»]+/gi;

  function linkify(text, into) {
    var last = 0, match;
    URL_IN_TEXT.lastIndex = 0;
    while ((match = URL_IN_TEXT.exec(text))) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      var url = httpUrl(raw);
      if (!url) continue;
      into.appendChild(document.createTextNode(text.slice(last, match.index)));
      into.appendChild(externalLink(url.href, raw));
      last = match.index + raw.length;
      URL_IN_TEXT.lastIndex = last;
    }
    into.appendChild(document.createTextNode(text.slice(last)));
    return into;
  }

  // `**name**` (a scheme's name in an answer) is shown in bold; text stays text nodes.
  var EMPHASIS = /\*\*([^*\n]+?)\*\*/g;

  function richText(text, into) {
    var last = 0, match;
    EMPHASIS.lastIndex = 0;
    while ((match = EMPHASIS.exec(text))) {
      linkify(text.slice(last, match.index), into);
      into.appendChild(linkify(match[1], el("strong", {})));
      last = match.index + match[0].length;
    }
    linkify(text.slice(last).replace(/\*\*/g, ""), into);
    return into;
  }

  function externalLink(href, label, className) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", className: className }, [
      document.createTextNode(label),
      srOnly(T.newWindow),
    ]);
  }

  // ---------------------------------------------------------------- widget skeleton -------------
  var host = document.createElement("assistant-emploi-widget");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  var stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href });
  // French interface whatever the host page's language and direction (messages use dir="auto").
  var container = el("div", { className: "aw-root aw-" + SIDE, lang: "fr", dir: "ltr", hidden: true });

  // The configured colour is read by the browser inside the Shadow DOM, where host page rules
  // (even `* { color: red !important }`) cannot change it; so the widget must be in the page.
  function applyColours() {
    var brand = parseColour(data.color, container) || parseColour(DEFAULT_COLOR, container) || [29, 79, 145];
    var colours = palette(brand);
    container.style.setProperty("--aw-brand", colours.brand);
    container.style.setProperty("--aw-on-brand", colours.onBrand);
    container.style.setProperty("--aw-brand-text", colours.brandText);
  }

  var badge = el("span", { className: "aw-badge", hidden: true });
  var bubble = el(
    "button",
    { type: "button", className: "aw-bubble", "aria-expanded": "false", "aria-controls": "aw-panel" },
    [chatIcon(), el("span", { text: T.bubble }), srOnly(" " + T.open), badge]
  );
  var closeButton = el("button", { type: "button", className: "aw-icon-button aw-close", title: T.close }, [
    el("span", { "aria-hidden": "true", text: "×" }),
    srOnly(T.close),
  ]);
  var resetButton = el("button", { type: "button", className: "aw-text-button", text: T.reset });
  var forgetButton = el("button", { type: "button", className: "aw-text-button aw-forget", text: T.forget });
  var status = el("p", { className: "aw-status", role: "status", "aria-live": "polite" });
  var log = el("div", { className: "aw-log", role: "log", "aria-live": "polite", "aria-label": T.log, tabindex: "0" });
  var typing = el("div", { className: "aw-typing", hidden: true }, [
    el("span", { className: "aw-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { text: T.typing }),
  ]);
  var typingStatus = el("p", { className: "aw-sr", role: "status", "aria-live": "polite" });
  var input = el("textarea", {
    id: "aw-input",
    className: "aw-input",
    rows: "1",
    autocomplete: "off",
    placeholder: T.placeholder,
    "aria-describedby": "aw-hint aw-limit",
  });
  // The counter is not a live region (it would talk at every key press); the limit note is.
  var counter = el("p", { className: "aw-counter", hidden: true });
  var limitNote = el("p", { id: "aw-limit", className: "aw-limit", "aria-live": "polite" });
  var sendButton = el("button", { type: "submit", className: "aw-send", text: T.send });
  var form = el("form", { className: "aw-form", novalidate: true }, [
    el("label", { for: "aw-input", className: "aw-label", text: T.label }),
    el("div", { className: "aw-input-row" }, [input, sendButton]),
    el("div", { className: "aw-footer" }, [el("p", { id: "aw-hint", className: "aw-hint", text: T.hint }), resetButton, forgetButton]),
    counter,
    limitNote,
  ]);
  var panel = el("section", { id: "aw-panel", className: "aw-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "aw-title", hidden: true }, [
    el("div", { className: "aw-header" }, [
      el("div", { className: "aw-heading" }, [
        el("h2", { id: "aw-title", className: "aw-title", text: TITLE }),
        el("p", { className: "aw-subtitle", text: T.subtitle }),
      ]),
      closeButton,
    ]),
    status,
    log,
    typing,
    typingStatus,
    form,
  ]);
  // The bubble comes first, so Tab goes from it straight into the open panel.
  container.appendChild(bubble);
  container.appendChild(panel);
  root.appendChild(stylesheet);
  root.appendChild(container);

  // Show the widget once its stylesheet is there (no flash of unstyled buttons on the host page).
  var revealed = false;
  function reveal() {
    if (revealed) return;
    revealed = true;
    container.hidden = false;
  }
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);
  setTimeout(reveal, 3000);

  // ---------------------------------------------------------------- rendering -------------------
  function speaker(from) {
    if (from === "user") return srOnly(T.you + " ");
    if (from === "adviser") return el("span", { className: "aw-who", text: T.adviser + " : " });
    if (from === "notice" || from === "system") return srOnly(T.info + " ");
    return srOnly(T.bot + " ");
  }

  function attachment(message) {
    var parts = [];
    var doc = message.document;
    if (doc && doc.url) {
      var docUrl = httpUrl(doc.url, GATEWAY + "/");
      if (docUrl) {
        var name = String(doc.filename || "document");
        var link = el("a", { href: docUrl.href, download: name, className: "aw-download", target: "_blank", rel: "noopener noreferrer" }, [
          document.createTextNode(T.download + " " + name),
          srOnly(T.newWindow),
        ]);
        if (doc.caption) parts.push(el("p", { className: "aw-caption", dir: "auto", text: String(doc.caption) }));
        parts.push(link);
      }
    }
    var linkButton = message.link;
    if (linkButton && linkButton.url) {
      var target = httpUrl(linkButton.url, GATEWAY + "/");
      if (target) parts.push(externalLink(target.href, String(linkButton.title || target.href), "aw-link-button"));
    }
    return parts;
  }

  function renderMessage(message, withButtons) {
    var node = el("div", { className: "aw-msg aw-from-" + message.from });
    node.appendChild(speaker(message.from));
    if (message.text) node.appendChild(richText(String(message.text), el("span", { className: "aw-text", dir: "auto" })));
    attachment(message).forEach(function (part) {
      node.appendChild(part);
    });
    var buttons = Array.isArray(message.buttons) ? message.buttons : [];
    if (withButtons && buttons.length) {
      var group = el("div", { className: "aw-quick", role: "group", "aria-label": T.quickReplies });
      buttons.forEach(function (b) {
        var title = String(b.title || b.payload || "");
        var payload = String(b.payload || b.title || "");
        if (!title) return;
        var button = el("button", { type: "button", className: "aw-quick-button", dir: "auto", text: title });
        button.addEventListener("click", function (event) {
          send(payload, title);
          // The button is gone once used: keyboard users go on typing; a tap focuses the log,
          // so a phone does not pop its keyboard up over the answer.
          if (event.detail === 0) input.focus();
          else log.focus({ preventScroll: true });
        });
        group.appendChild(button);
      });
      node.appendChild(group);
    }
    return node;
  }

  function lastUserIndex() {
    for (var i = state.messages.length - 1; i >= 0; i--) if (state.messages[i].from === "user") return i;
    return -1;
  }

  // The whole log is rebuilt while the panel is hidden (nothing announced); new messages are
  // appended one by one so `aria-live` reads only them.
  function renderAll() {
    log.textContent = "";
    var welcome = { from: "bot", text: T.welcome, buttons: [T.welcomeButton] };
    log.appendChild(renderMessage(welcome, state.messages.length === 0));
    var since = lastUserIndex();
    state.messages.forEach(function (m, i) {
      log.appendChild(renderMessage(m, i > since));
    });
    scrollDown();
  }

  function dropQuickReplies() {
    var groups = log.querySelectorAll(".aw-quick");
    Array.prototype.forEach.call(groups, function (g) {
      g.remove();
    });
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function record(message) {
    var stored = Object.assign({}, message); // a copy: the shown message is left as it is
    if (typeof stored.text === "string" && stored.text.length > MAX_STORED_TEXT) stored.text = stored.text.slice(0, MAX_STORED_TEXT) + "…";
    state.messages.push(stored);
    saveState();
    return stored;
  }

  function show(message, keep) {
    if (message.from === "user") dropQuickReplies();
    var node = renderMessage(message, true);
    log.appendChild(node);
    scrollDown();
    if (keep !== false) record(message);
    if (panel.hidden && message.from !== "user") setUnread(unread + 1);
    return node;
  }

  function notice(text) {
    show({ from: "notice", text: text }, false);
  }

  function fromBot(raw) {
    var custom = raw && typeof raw.custom === "object" && raw.custom ? raw.custom : {};
    var message = { from: "bot", text: typeof raw.text === "string" ? raw.text : "" };
    if (Array.isArray(raw.buttons) && raw.buttons.length) {
      message.buttons = raw.buttons.map(function (b) {
        return { title: String(b.title || ""), payload: String(b.payload || "") };
      });
    }
    if (custom.document && typeof custom.document === "object") message.document = custom.document;
    if (custom.link && typeof custom.link === "object") message.link = custom.link;
    if (typeof raw.image === "string") message.text = [message.text, raw.image].filter(Boolean).join("\n");
    return { message: message, handoff: custom.handoff };
  }

  // ---------------------------------------------------------------- unread badge ----------------
  var unread = 0;
  function setUnread(n) {
    unread = n;
    badge.hidden = n === 0;
    badge.textContent = "";
    if (n) {
      badge.appendChild(el("span", { "aria-hidden": "true", text: String(n) }));
      badge.appendChild(srOnly(", " + T.unread(n)));
    }
  }

  // ---------------------------------------------------------------- open / close ----------------
  function openPanel(focusInput) {
    if (!panel.hidden) return;
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    container.classList.add("aw-open");
    setUnread(0);
    scrollDown();
    try {
      window.sessionStorage.setItem(OPEN_KEY, "1");
    } catch (e) {
      /* ignore */
    }
    if (focusInput !== false) input.focus();
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    container.classList.remove("aw-open");
    try {
      window.sessionStorage.removeItem(OPEN_KEY);
    } catch (e) {
      /* ignore */
    }
    bubble.focus();
  }

  bubble.addEventListener("click", function () {
    if (panel.hidden) openPanel();
    else closePanel();
  });
  closeButton.addEventListener("click", closePanel);
  container.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      closePanel();
    }
  });
  resetButton.addEventListener("click", function () {
    if (!window.confirm(T.resetConfirm)) return;
    stopLive();
    queue.length = 0;
    state = freshState();
    saveState();
    renderAll();
    input.focus();
  });

  // "Forget me": the gateway erases every store (same erasers as Telegram's /oubli), then the
  // widget starts afresh and shows the gateway's confirmation.
  forgetButton.addEventListener("click", function () {
    if (!window.confirm(T.forgetConfirm)) return;
    forgetButton.disabled = true;
    window
      .fetch(api("/api/chat/" + encodeURIComponent(state.sessionId)), { method: "DELETE", credentials: "omit" })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            if (!response.ok || !body.message) throw new Error(body.error || T.forgetFailed);
            return body.message;
          });
      })
      .then(
        function (message) {
          stopLive();
          queue.length = 0;
          state = freshState();
          saveState();
          renderAll();
          notice(message);
        },
        function (error) {
          notice(error && error.message ? error.message : T.forgetFailed);
        }
      )
      .then(function () {
        forgetButton.disabled = false;
      });
  });

  // ---------------------------------------------------------------- input -----------------------
  var tooLong = false;
  function checkLength() {
    var n = codePoints(input.value);
    var over = n > MAX_CHARS;
    input.setAttribute("aria-invalid", over ? "true" : "false");
    counter.hidden = n <= MAX_CHARS * 0.9;
    counter.textContent = counter.hidden ? "" : T.counter(n);
    counter.classList.toggle("aw-counter-over", over);
    if (over !== tooLong) limitNote.textContent = over ? T.tooLong(n) : ""; // announced once
    tooLong = over;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  }
  input.addEventListener("input", checkLength);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    var text = input.value;
    if (!text.trim()) {
      input.focus();
      return;
    }
    input.value = "";
    checkLength();
    send(text, null);
  }

  // ---------------------------------------------------------------- sending ---------------------
  var queue = [];
  var busy = false;
  var retryIndex = 0;
  var retryTimer = null;

  function api(path) {
    return GATEWAY + path;
  }

  function send(text, shownTitle) {
    var item = { text: text, restore: shownTitle ? null : text, messageId: newMessageId() };
    // An over-long message is not shown as sent: the gateway's 413 answer explains the limit.
    if (codePoints(text) <= MAX_CHARS) {
      var message = { from: "user", text: shownTitle || text };
      item.message = message;
      item.node = show(message, false);
    }
    queue.push(item);
    pump();
  }

  var typingAnnounce = null;
  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingAnnounce);
    typingStatus.textContent = "";
    // Screen readers hear "the assistant is writing" only when the answer takes a while.
    if (on) typingAnnounce = setTimeout(function () {
      typingStatus.textContent = T.typing;
    }, 1500);
    if (on) scrollDown();
  }

  function setOffline(on) {
    if (on) {
      status.textContent = T.offline;
      status.classList.add("aw-status-visible");
    } else if (status.textContent === T.offline) {
      status.textContent = T.online;
      setTimeout(function () {
        if (status.textContent === T.online) {
          status.textContent = "";
          status.classList.remove("aw-status-visible");
        }
      }, 4000);
    }
  }

  function markPending(item, pending) {
    if (!item.node) return;
    var flag = item.node.querySelector(".aw-pending");
    if (pending && !flag) item.node.appendChild(el("span", { className: "aw-pending", text: T.pending }));
    if (!pending && flag) flag.remove();
  }

  function postJson(url, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    return window
      .fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        signal: controller ? controller.signal : undefined,
      })
      .finally(function () {
        if (timer) clearTimeout(timer);
      });
  }

  function readAnswer(response) {
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      throw new Error("gateway unavailable"); // a restart or a proxy hiccup: same as offline
    }
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (body) {
        return { ok: response.ok, body: body || {} };
      });
  }

  function delivered(item, result) {
    queue.shift();
    retryIndex = 0;
    setOffline(false);
    markPending(item, false);
    setTyping(false);
    if (item.message) record(item.message);
    if (result.ok) handleReplies(result.body.messages);
    else failed(item, result.body.error);
  }

  function notDelivered(item) {
    // Network lost (or the gateway is restarting): keep the message and try again.
    setTyping(false);
    setOffline(true);
    markPending(item, true);
    var delay = RETRY_STEPS_MS[Math.min(retryIndex, RETRY_STEPS_MS.length - 1)];
    retryIndex += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(retryNow, delay);
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue[0];
    setTyping(true);
    // A retry of this item sends the same message_id (see newMessageId).
    postJson(api("/api/chat"), { session_id: state.sessionId, text: item.text, message_id: item.messageId })
      .then(readAnswer)
      .then(
        function (result) {
          delivered(item, result);
        },
        function () {
          notDelivered(item);
        }
      )
      .catch(function (error) {
        // A display bug must neither resend the message nor block the ones after it.
        if (window.console) window.console.error(error);
      })
      .then(function () {
        busy = false;
        if (!retryTimer) pump();
      });
  }

  function retryNow() {
    clearTimeout(retryTimer);
    retryTimer = null;
    pump();
  }

  window.addEventListener("online", function () {
    if (retryTimer) retryNow();
    if (live.wanted && !live.mode) startLive();
  });

  function failed(item, error) {
    notice(typeof error === "string" && error ? error : T.error);
    // Give back what was typed, so it can be shortened or corrected rather than retyped.
    if (item.restore && !input.value) {
      input.value = item.restore;
      checkLength();
    }
  }

  function handleReplies(messages) {
    var handoffSeen = null;
    var first = null;
    (Array.isArray(messages) ? messages : []).forEach(function (raw) {
      var parsed = fromBot(raw || {});
      if (parsed.handoff && typeof parsed.handoff === "object") handoffSeen = parsed.handoff;
      var m = parsed.message;
      if (!(m.text || m.buttons || m.document || m.link)) return;
      var node = show(m);
      first = first || node;
    });
    // A long answer is read from its beginning: scroll back to it when it does not fit.
    if (first) {
      var offset = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
      if (offset < 0) log.scrollTop += offset - 8;
    }
    // A hand-off payload, or any answer during a hand-off: ask the gateway where the hand-off
    // stands (queued, taken, over) and listen for the adviser while it lasts.
    if (handoffSeen && !state.handoff) {
      state.handoff = { since: Date.now() };
      saveState();
    }
    if (state.handoff) checkHandoff();
  }

  // ---------------------------------------------------------------- adviser messages (live) -----
  var live = { wanted: false, mode: null, source: null, timer: null, sseErrors: 0, pollErrors: 0 };

  function eventsUrl(kind) {
    return api("/api/chat/" + encodeURIComponent(state.sessionId) + "/" + kind + "?after=" + (state.after || 0));
  }

  function handleEvent(event) {
    if (!event || typeof event.id !== "number" || event.id <= (state.after || 0)) return;
    state.after = event.id;
    var from = event.kind === "adviser" ? "adviser" : event.kind === "bot" ? "bot" : "system";
    var message = { from: from, text: typeof event.text === "string" ? event.text : "" };
    if (Array.isArray(event.buttons) && event.buttons.length) message.buttons = event.buttons;
    if (from === "bot") dropQuickReplies();
    if (from !== "bot" && typeof event.adviser_name === "string" && event.adviser_name) setAnswering(event.adviser_name);
    if (from === "adviser") setAdviserTyping(false);
    show(message);
    if (from === "bot") endHandoff(); // the adviser closed: the assistant speaks again
    if (event.handoff_over === true) endHandoff(); // closed: the satisfaction question came
  }

  function endHandoff() {
    state.handoff = null;
    saveState();
    stopLive();
    setAnswering(null);
    setAdviserTyping(false);
  }

  // "The adviser is typing" (from the stream's `typing` events or the polled state), and the
  // person's own typing sent to the adviser, at most every 3 s, only while an adviser answers.
  var ADVISER_TYPING = "Le conseiller écrit…";
  var lastTypingSent = 0;
  function setAdviserTyping(on) {
    typing.hidden = !on;
    typingStatus.textContent = on ? ADVISER_TYPING : "";
    if (on) scrollDown();
  }
  input.addEventListener("input", function () {
    if (!state.handoff || !panel.classList.contains("aw-human")) return;
    var now = Date.now();
    if (now - lastTypingSent < 3000) return;
    lastTypingSent = now;
    window
      .fetch(api("/api/chat/" + encodeURIComponent(state.sessionId) + "/typing"), { method: "POST", credentials: "omit" })
      .catch(function () {
        /* an indicator is not worth a retry */
      });
  });

  // Header while an adviser is answering: the person must know a human, not the bot, writes.
  function answeringText(name) {
    return name ? name + ", conseiller·e, vous répond." : "Un conseiller vous répond.";
  }

  function setAnswering(name) {
    var subtitle = panel.querySelector(".aw-subtitle");
    if (!subtitle) return;
    var human = name !== null && name !== undefined;
    subtitle.textContent = human ? answeringText(String(name)) : T.subtitle;
    panel.classList.toggle("aw-human", human);
  }

  function handleEventsBody(body) {
    (body && Array.isArray(body.events) ? body.events : []).forEach(handleEvent);
    var handoffState = body && body.handoff && body.handoff.state;
    if (handoffState === "claimed") setAnswering(body.handoff.adviser_name || "");
    if (handoffState === "claimed") setAdviserTyping(body.handoff.typing === true);
    if (handoffState === "waiting" || handoffState === "claimed") {
      if (!state.handoff) {
        state.handoff = { since: Date.now() };
        saveState();
      }
      startLive();
    } else if (handoffState && state.handoff) {
      endHandoff(); // none, closed, or a call-back request: no adviser will write here
    }
  }

  function getJson(url) {
    return window.fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function checkHandoff() {
    return getJson(eventsUrl("events")).then(handleEventsBody, function () {
      // Unreachable right now: listen anyway, the stream or the polling will catch up.
      if (state.handoff) startLive();
    });
  }

  function startLive() {
    live.wanted = true;
    if (live.mode) return;
    if (window.EventSource && live.sseErrors < 3) openStream();
    else schedulePoll(0);
  }

  function stopLive() {
    live.wanted = false;
    live.mode = null;
    if (live.source) live.source.close();
    live.source = null;
    clearTimeout(live.timer);
    live.timer = null;
  }

  function openStream() {
    live.mode = "stream";
    var source = new EventSource(eventsUrl("stream"));
    live.source = source;
    source.addEventListener("open", function () {
      live.sseErrors = 0;
      setOffline(false);
    });
    source.addEventListener("typing", function (e) {
      try {
        setAdviserTyping(JSON.parse(e.data).typing === true);
      } catch (err) {
        /* ignored */
      }
    });
    source.addEventListener("message", function (e) {
      try {
        handleEvent(JSON.parse(e.data));
      } catch (err) {
        /* a malformed event is ignored, the next one carries on */
      }
    });
    source.addEventListener("error", function () {
      live.sseErrors += 1;
      // The browser reconnects by itself (Last-Event-ID); after repeated failures, or when the
      // stream is refused, fall back to polling `/events?after=`.
      if (source.readyState === EventSource.CLOSED || live.sseErrors >= 3) {
        source.close();
        if (live.source === source) {
          live.source = null;
          live.mode = null;
          if (live.wanted) schedulePoll(POLL_MS);
        }
      }
    });
  }

  function schedulePoll(delay) {
    live.mode = "poll";
    clearTimeout(live.timer);
    live.timer = setTimeout(function () {
      getJson(eventsUrl("events"))
        .then(function (body) {
          live.pollErrors = 0;
          setOffline(false);
          handleEventsBody(body);
        })
        .catch(function () {
          live.pollErrors += 1;
          if (live.pollErrors >= 2) setOffline(true);
        })
        .then(function () {
          if (live.wanted && live.mode === "poll") {
            schedulePoll(Math.min(POLL_MS * Math.pow(2, Math.max(0, live.pollErrors - 1)), 30000));
          }
        });
    }, delay);
  }

  // Another tab of the same site changed the conversation: show the same one here.
  window.addEventListener("storage", function (event) {
    if (event.key !== STORE_KEY || !event.newValue) return;
    var other = readJson(window.localStorage, STORE_KEY);
    if (!other || other.v !== 1 || !Array.isArray(other.messages)) return;
    state = other;
    renderAll();
    if (state.handoff && !live.mode) startLive();
    if (!state.handoff && live.mode) stopLive();
  });

  // ---------------------------------------------------------------- start -----------------------
  function start() {
    document.body.appendChild(host);
    applyColours();
    var wasOpen = false;
    try {
      wasOpen = window.sessionStorage.getItem(OPEN_KEY) === "1";
    } catch (e) {
      /* ignore */
    }
    renderAll();
    if (wasOpen) openPanel(false); // navigation keeps the panel open, without stealing focus
    if (state.handoff) {
      if (Date.now() - (state.handoff.since || 0) > HANDOFF_MAX_MS) endHandoff();
      else checkHandoff(); // catch up on what the adviser wrote while the page was away
    }
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
