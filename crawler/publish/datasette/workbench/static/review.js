// /-/review: keyboard shortcuts (c, n, e) and in-page verdicts. The page works without it:
// every card is a plain form that posts and comes back to the queue.
(function () {
  "use strict";
  var KEYS = { c: "confirmed", n: "not_wildlife", e: "needs_expert" };
  var busy = false;

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".wc-card")); }
  function current() { return document.querySelector(".wc-card.wc-current") || cards()[0]; }

  function setCurrent(card) {
    cards().forEach(function (c) { c.classList.remove("wc-current"); });
    if (card) {
      card.classList.add("wc-current");
      card.scrollIntoView({ block: "nearest" });
    } else {
      var empty = document.getElementById("wc-empty");
      if (empty) { empty.hidden = false; }
    }
  }

  function say(text) {
    var status = document.getElementById("wc-status");
    if (!status) { return; }
    var p = document.createElement("p");
    p.className = "wc-done";
    p.textContent = text;
    status.replaceChildren(p);
  }

  function post(card, verdict) {
    if (busy || !card) { return; }
    busy = true;
    var form = card.querySelector("form.wc-verdict");
    var body = new URLSearchParams(new FormData(form));
    body.set("verdict", verdict);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.ok) { throw new Error(data.error || response.status); }
        var next = card.nextElementSibling;
        card.remove();
        var waiting = document.getElementById("wc-waiting");
        if (waiting && /^\d+$/.test(waiting.textContent)) {
          var left = Math.max(0, parseInt(waiting.textContent, 10) - 1);
          waiting.textContent = String(left);
          var plural = document.getElementById("wc-waiting-s");
          if (plural) { plural.textContent = left === 1 ? "" : "s"; }
        }
        say("Recorded “" + verdict.replace("_", " ") + "” for " + data.listing_id + ".");
        setCurrent(next || cards()[0]);
      });
    }).catch(function (error) {
      say("The verdict was not recorded (" + error.message + "); try again or reload the page.");
    }).then(function () { busy = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("wc-verdict") || !event.submitter) { return; }
    event.preventDefault();
    var card = form.closest(".wc-card");
    setCurrent(card);
    post(card, event.submitter.value);
  });

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (tag === "input" || tag === "textarea" || tag === "select") {
      // Enter in a note field records no verdict by accident; Escape leaves the field.
      if (event.key === "Enter" && event.target.closest(".wc-verdict")) { event.preventDefault(); }
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var verdict = KEYS[event.key];
    if (verdict) {
      event.preventDefault();
      post(current(), verdict);
    }
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".wc-card");
    if (card) { setCurrent(card); }
  });
})();
