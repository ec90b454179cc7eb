// Adviser console: close with a resolution, transfer, reopen, canned replies, knowledge cards.
// Every text is inserted with textContent; visible French texts come from the page.
"use strict";
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  if (!csrfMeta) return;
  const csrf = csrfMeta.content;

  async function call(path, method, body) {
    const options = {method: method, headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"};
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    const response = await fetch("/console/api" + path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const box = document.getElementById("action-error");
      if (box) { box.textContent = data.error || String(response.status); box.hidden = false; }
      throw new Error(data.error || String(response.status));
    }
    return data;
  }

  // Close: confirmation and resolution in a dialog.
  const dialog = document.getElementById("close-dialog");
  const closeButton = document.getElementById("close-ticket");
  if (dialog && closeButton) {
    closeButton.addEventListener("click", () => dialog.showModal());
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "confirm") return;
      const form = document.getElementById("close-form");
      const chosen = form.querySelector('input[name="resolution"]:checked');
      call("/tickets/" + form.dataset.ticketId + "/close", "POST", {resolution: chosen ? chosen.value : "resolved"})
        .then(() => window.location.reload()).catch(() => {});
    });
  }

  const transfer = document.getElementById("transfer-form");
  if (transfer) {
    transfer.addEventListener("submit", (event) => {
      event.preventDefault();
      const target = Number(document.getElementById("transfer-to").value);
      if (!target) return;
      call("/tickets/" + transfer.dataset.ticketId + "/transfer", "POST", {adviser_id: target})
        .then(() => { window.location.href = "/console/"; }).catch(() => {});
    });
  }

  const reopen = document.getElementById("reopen-ticket");
  if (reopen) {
    reopen.addEventListener("click", () => {
      call("/tickets/" + reopen.dataset.ticketId + "/reopen", "POST").then(() => window.location.reload()).catch(() => {});
    });
  }

  // Canned reply: inserted in the reply box, where the adviser can still adapt it.
  const pick = document.getElementById("canned-pick");
  if (pick) {
    pick.addEventListener("change", () => {
      const option = pick.selectedOptions[0];
      const box = document.getElementById("reply-text");
      if (!option || !option.value || !box) return;
      box.value = box.value ? box.value + "\n" + option.dataset.text : option.dataset.text;
      pick.value = "";
      box.focus();
    });
  }

  // Knowledge base: search, then send a scheme's card to the person in one click.
  const kb = document.getElementById("kb-form");
  if (kb) {
    kb.addEventListener("submit", (event) => {
      event.preventDefault();
      const q = document.getElementById("kb-query").value.trim();
      if (q.length < 2) return;
      call("/knowledge?q=" + encodeURIComponent(q), "GET").then((data) => {
        const list = document.getElementById("kb-results");
        list.replaceChildren();
        for (const s of data.schemes) {
          const item = document.getElementById("kb-item").content.firstElementChild.cloneNode(true);
          item.querySelector(".name").textContent = s.name;
          item.querySelector(".summary").textContent = s.summary;
          const send = item.querySelector(".kb-send");
          send.addEventListener("click", () => {
            call("/tickets/" + kb.dataset.ticketId + "/card", "POST", {scheme_id: s.id})
              .then((data) => {
                send.disabled = true;
                if (data.message && window.consoleChat) window.consoleChat.addMessage(data.message);
              }).catch(() => {});
          });
          list.appendChild(item);
        }
        document.getElementById("kb-empty").hidden = data.schemes.length > 0;
      }).catch(() => {});
    });
  }

  // Call-backs and leads: new -> contacted -> done.
  document.querySelectorAll(".followup-set").forEach((button) => {
    button.addEventListener("click", () => {
      call("/followups/" + button.dataset.kind + "/" + button.dataset.ref, "POST", {status: button.dataset.status})
        .then(() => window.location.reload()).catch(() => {});
    });
  });

  // Admin page: canned replies.
  const cannedForm = document.getElementById("canned-form");
  if (cannedForm) {
    cannedForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const title = document.getElementById("canned-title-input").value.trim();
      const text = document.getElementById("canned-text").value.trim();
      if (!title || !text) return;
      call("/canned", "POST", {title: title, text: text}).then(() => window.location.reload()).catch(() => {});
    });
  }
  document.querySelectorAll(".canned-delete").forEach((button) => {
    button.addEventListener("click", () => {
      call("/canned/" + button.dataset.cannedId, "DELETE").then(() => window.location.reload()).catch(() => {});
    });
  });
  // Every handler above is bound: a click from now on is heard (browser tests wait for this).
  document.body.dataset.ready = "true";
})();
