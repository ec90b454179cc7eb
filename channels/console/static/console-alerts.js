// Adviser console: opt-in sound and desktop notification for a new waiting conversation,
// unread counts (per browser), and local times. Texts come from the page (data-* attributes).
"use strict";
(function () {
  const STORE = "console-alerts:v1";
  const SEEN = "console-seen:v1";
  const formatter = new Intl.DateTimeFormat("fr-FR", {timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short"});
  window.consoleTime = (iso) => { const d = new Date(iso); return isNaN(d) ? "" : formatter.format(d); };

  function read(key) { try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; } }
  function write(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }

  const toggle = document.getElementById("alerts-toggle");
  let known = null; // waiting ticket ids already seen: the first look alerts for nothing
  function enabled() { return read(STORE).on === true; }
  function render() {
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", enabled() ? "true" : "false");
    toggle.textContent = enabled() ? toggle.dataset.on : toggle.dataset.off;
  }
  if (toggle) {
    toggle.addEventListener("click", () => {
      const on = !enabled();
      write(STORE, {on: on});
      render();
      if (on && "Notification" in window && Notification.permission === "default") {
        Notification.requestPermission().then(render);
      }
    });
    render();
  }

  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    const audio = new Context();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  }

  function alertFor(ticket) {
    window.consoleAlertsFired = (window.consoleAlertsFired || 0) + 1; // read by the browser tests
    try { beep(); } catch (e) { /* no sound device */ }
    if ("Notification" in window && Notification.permission === "granted" && toggle) {
      const note = new Notification(toggle.dataset.title, {body: ticket.summary || "", tag: "ticket-" + ticket.id});
      note.onclick = () => { window.focus(); window.location.href = "/console/"; };
    }
  }

  window.consoleAlerts = {
    check(tickets) {
      const waiting = tickets.filter((t) => t.status === "waiting");
      const fresh = known === null ? [] : waiting.filter((t) => !known.has(t.id));
      known = new Set(waiting.map((t) => t.id));
      if (enabled() && fresh.length) alertFor(fresh[0]);
    },
    unread(ticketId, count) {
      const seen = read(SEEN)[ticketId] || 0;
      return Math.max(0, (count || 0) - seen);
    },
    markSeen(ticketId, count) {
      if (!ticketId) return;
      const seen = read(SEEN);
      seen[ticketId] = Math.max(seen[ticketId] || 0, count);
      write(SEEN, seen);
    },
  };

  // Server-rendered times are UTC (ISO); show them in Paris time, French format.
  document.querySelectorAll("time[datetime]").forEach((el) => { el.textContent = window.consoleTime(el.dateTime) || el.textContent; });
})();
