// Adviser console: live queue and chat. Every text is inserted with textContent, never as HTML.
// Visible French texts come from the page (templates), not from this file.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const page = document.body.dataset.page;
  const status = document.getElementById("live-status");
  let socket = null;
  let pollTimer = null;
  const baseTitle = document.title;

  async function api(path, method, body) {
    const options = {method: method || "GET", headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"};
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    const response = await fetch("/console/api" + path, options);
    if (response.status === 401) { window.location.href = "/console/login"; throw new Error("login"); }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { showError(data.error || String(response.status)); throw new Error(data.error); }
    return data;
  }

  function showError(message) {
    const box = document.getElementById("action-error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  function setLive(online) {
    if (status) status.textContent = online ? status.dataset.online : status.dataset.offline;
  }

  async function claim(ticketId) {
    await api("/tickets/" + ticketId + "/claim", "POST");
    window.location.href = "/console/tickets/" + ticketId;
  }

  // --- queue -------------------------------------------------------------------------------
  async function refreshQueue() {
    if (page !== "queue") return;
    const data = await api("/queue");
    const rows = document.getElementById("queue-rows");
    const template = document.getElementById("queue-row");
    rows.replaceChildren();
    for (const t of data.tickets) {
      const row = template.content.firstElementChild.cloneNode(true);
      row.dataset.ticketId = t.id;
      row.querySelector(".wait").textContent = t.wait_minutes + " min";
      row.querySelector(".channel").textContent = t.channel_label;
      row.querySelector(".reason").textContent = t.reason_label;
      row.querySelector(".commune").textContent = t.commune || "—";
      row.querySelector(".summary").textContent = t.summary;
      row.querySelector(".status").textContent = t.status_label + (t.adviser ? " (" + t.adviser + ")" : "");
      const unread = window.consoleAlerts.unread(t.id, t.person_messages);
      const badge = row.querySelector(".unread");
      badge.hidden = unread === 0;
      badge.textContent = badge.dataset.template.replace("{n}", String(unread));
      const button = row.querySelector(".claim");
      const link = row.querySelector(".open");
      if (t.status === "waiting") { button.dataset.ticketId = t.id; link.remove(); }
      else { button.remove(); link.href = "/console/tickets/" + t.id; }
      rows.appendChild(row);
    }
    document.getElementById("queue-empty").hidden = data.tickets.length > 0;
    // The waiting count in the tab title: visible even when the adviser works in another tab.
    const waiting = data.tickets.filter((t) => t.status === "waiting").length;
    document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
    window.consoleAlerts.check(data.tickets);
    document.getElementById("advisers-online").textContent = data.advisers_online;
    document.getElementById("pending-callbacks").textContent = data.pending_callbacks;
  }

  // --- ticket chat -------------------------------------------------------------------------
  const chatLog = document.getElementById("chat-log");
  const ticketId = chatLog ? Number(chatLog.dataset.ticketId) : null;
  const authorLabels = {};
  function lastMessageId() {
    const items = chatLog ? chatLog.querySelectorAll("[data-message-id]") : [];
    return items.length ? Number(items[items.length - 1].dataset.messageId) : 0;
  }
  function addMessage(m) {
    if (!chatLog || chatLog.querySelector('[data-message-id="' + m.id + '"]')) return;
    const item = document.getElementById("chat-item").content.firstElementChild.cloneNode(true);
    item.classList.add(m.author);
    item.dataset.messageId = m.id;
    item.querySelector(".who").textContent = m.author_label || authorLabels[m.author] || m.author;
    item.querySelector(".text").textContent = m.text;
    const when = item.querySelector("time");
    if (when && m.created_at) { when.dateTime = m.created_at; when.textContent = window.consoleTime(m.created_at); }
    chatLog.appendChild(item);
    if (m.author === "person") window.consoleAlerts.markSeen(ticketId, chatLog.querySelectorAll(".msg.person").length);
    item.scrollIntoView({block: "nearest"});
  }
  // The inbox script shows what it sent at once too (the live socket may be reconnecting).
  window.consoleChat = {addMessage};
  async function pollMessages() {
    if (!ticketId) return;
    const data = await api("/tickets/" + ticketId + "/messages?after=" + lastMessageId());
    data.messages.forEach(addMessage);
  }

  // --- live socket, with polling while it is down -------------------------------------------
  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(() => { refreshQueue().catch(() => {}); pollMessages().catch(() => {}); }, 5000);
  }
  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // The CSRF token goes in the first message, never in the URL (URLs end up in server logs).
    socket = new WebSocket(scheme + window.location.host + "/console/ws");
    socket.onopen = () => {
      socket.send(JSON.stringify({type: "auth", csrf: csrf}));
      setLive(true);
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
      if (ticketId) socket.send(JSON.stringify({type: "follow", ticket_id: ticketId, after: lastMessageId()}));
    };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "queue") {
        if (page === "queue") refreshQueue().catch(() => {});
        else api("/queue").then((q) => window.consoleAlerts.check(q.tickets)).catch(() => {});
      }
      else if (data.type === "message" && data.ticket_id === ticketId) addMessage(data.message);
      else if (data.type === "typing" && data.ticket_id === ticketId) {
        const shown = document.getElementById("person-typing");
        if (shown) shown.hidden = !data.typing;
      }
      else if (data.type === "error") showError(data.error);
    };
    socket.onclose = () => { setLive(false); startPolling(); setTimeout(connect, 5000); };
  }
  setInterval(() => { if (socket && socket.readyState === 1) socket.send(JSON.stringify({type: "ping"})); }, 30000);

  // --- actions -----------------------------------------------------------------------------
  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if (target.classList.contains("claim")) { claim(target.dataset.ticketId).catch(() => {}); }
  });
  const replyForm = document.getElementById("reply-form");
  if (replyForm) {
    // The person sees "the adviser is typing" (one signal every 3 s at most).
    let lastTyping = 0;
    document.getElementById("reply-text").addEventListener("input", () => {
      const now = Date.now();
      if (now - lastTyping < 3000 || !socket || socket.readyState !== 1) return;
      lastTyping = now;
      socket.send(JSON.stringify({type: "typing", ticket_id: ticketId}));
    });
    // Enter sends, Shift+Enter goes to a new line (as in every chat inbox).
    document.getElementById("reply-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        replyForm.requestSubmit();
      }
    });
    replyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = document.getElementById("reply-text");
      const text = field.value.trim();
      if (!text) return;
      api("/tickets/" + ticketId + "/messages", "POST", {text}).then((data) => {
        field.value = ""; addMessage(data.message);
      }).catch(() => {});
    });
  }
  const noteForm = document.getElementById("note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = document.getElementById("note-text");
      const text = field.value.trim();
      if (!text) return;
      api("/tickets/" + noteForm.dataset.ticketId + "/notes", "POST", {text}).then((data) => {
        const item = document.createElement("li");
        const body = document.createElement("span");
        body.className = "text"; body.textContent = data.note.text;
        item.appendChild(body);
        document.getElementById("notes").appendChild(item);
        field.value = "";
      }).catch(() => {});
    });
  }

  if (chatLog) window.consoleAlerts.markSeen(ticketId, chatLog.querySelectorAll(".msg.person").length);
  if (page === "queue" || page === "ticket") {
    // What is waiting now is known before listening: only later arrivals ring.
    api("/queue").then((q) => window.consoleAlerts.check(q.tickets)).catch(() => {}).then(connect);
  }
})();
