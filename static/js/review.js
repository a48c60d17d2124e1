// The review queue from the keyboard: j / n next, k previous, a approve, r reject (focus the comment,
// Enter sends it, Escape goes back), x tick for bulk. The first item is marked current when the page
// opens, and the first j (or k) goes to it rather than past it. The page works without it: every item has its
// own form, and htmx swaps the item after a decision; this module only picks the current item and
// presses its buttons.

import { say } from "./status.js";

const queueSelector = "[data-review-queue]";
let currentId = null;
// The item each decision in flight came from, by its request: a quick key may send the next
// decision before the previous answer has settled.
const pending = new WeakMap();

function items() {
  return [...document.querySelectorAll("[data-review-item]")];
}

function current() {
  return currentId ? document.getElementById(currentId) : null;
}

function setCurrent(item, { focus = true } = {}) {
  for (const old of document.querySelectorAll("[data-review-item].is-current")) old.classList.remove("is-current");
  if (!item) {
    currentId = null;
    return;
  }
  currentId = item.id;
  item.classList.add("is-current");
  if (focus) {
    item.focus({ preventScroll: true });
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    item.scrollIntoView({ block: "nearest", behavior: smooth ? "smooth" : "auto" });
  }
}

function move(step) {
  const all = items();
  if (!all.length) return;
  const item = current();
  // Not there yet (page just opened, queue replaced): the first step lands on the marked item.
  if (item && !item.contains(document.activeElement)) return setCurrent(item);
  const at = all.indexOf(item);
  const next = at < 0 ? all[0] : all[Math.min(Math.max(at + step, 0), all.length - 1)];
  setCurrent(next);
}

function typing(element) {
  return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

// A click rather than requestSubmit(): htmx sends the clicked button's name and value (the
// decision) only for a button it saw clicked. An item just swapped in keeps the focus at once but
// is bound by htmx only when it settles; processing it first (a no-op when done) keeps a quick
// Enter from submitting the form without htmx.
function decide(item, decision) {
  const button = item && item.querySelector(`button[data-decision="${decision}"]`);
  if (!button) return;
  if (window.htmx) window.htmx.process(item);
  button.click();
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  // In a comment field: Enter rejects with that comment, Escape goes back to the item.
  if (target.matches && target.matches("[data-comment]")) {
    const item = target.closest("[data-review-item]");
    if (event.key === "Enter") {
      event.preventDefault();
      decide(item, "reject");
    } else if (event.key === "Escape") {
      event.preventDefault();
      setCurrent(item);
    }
    return;
  }
  if (typing(target) || !document.querySelector(queueSelector)) return;
  const item = current();
  switch (event.key) {
    case "j":
    case "n":
      event.preventDefault();
      move(1);
      break;
    case "k":
      event.preventDefault();
      move(-1);
      break;
    case "a":
      if (!item) return say("Move to an item first with j.", "error");
      event.preventDefault();
      decide(item, "approve");
      break;
    case "r":
      if (!item) return say("Move to an item first with j.", "error");
      event.preventDefault();
      item.querySelector("[data-comment]").focus();
      break;
    case "x":
      if (!item) return;
      event.preventDefault();
      setCurrent(item); // ticked, so reached: the next j goes on from it
      item.querySelector("input[name=items]").click();
      break;
    default:
  }
});

// Clicking inside an item makes it the current one.
document.addEventListener("click", (event) => {
  const item = event.target.closest("[data-review-item]");
  if (item && item.id !== currentId) setCurrent(item, { focus: false });
  const all = event.target.closest("[data-select-all]");
  if (all) {
    for (const box of document.querySelectorAll("[data-review-item] input[name=items]")) box.checked = all.checked;
  }
});

// A decision sent from an item's form: remember which item, to go on from it once it is swapped.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  const item = form && form.closest && form.closest("[data-review-item]");
  if (item && event.detail.xhr) pending.set(event.detail.xhr, item.id);
});

document.body.addEventListener("htmx:afterSettle", (event) => {
  const xhr = event.detail.xhr;
  const status = xhr ? xhr.status : 0;
  const pendingId = xhr ? pending.get(xhr) : null;
  if (pendingId) {
    pending.delete(xhr);
    const item = document.getElementById(pendingId);
    if (!item) return;
    if (status === 422) {
      // Refused (a rejection without a comment): stay on the item, which shows why. The focus goes
      // to the item, not into the comment, so the reviewer's next r (reject, again) is a key and
      // not the first letter of the comment the annotator receives.
      setCurrent(item);
      return;
    }
    const all = items();
    const next = all[all.indexOf(item) + 1];
    setCurrent(next || item);
    return;
  }
  // The whole queue was replaced (filters, pages, bulk): start again from its first item.
  if (event.detail.elt && event.detail.elt.matches && event.detail.elt.matches(queueSelector)) {
    setCurrent(items()[0] || null, { focus: false });
  }
});

document.body.addEventListener("htmx:sendError", () => say("The server cannot be reached; nothing was saved.", "error"));
document.body.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  say(status === 403 ? "You may not review in this project." : `Not saved (error ${status}). Reload and try again.`, "error");
});

setCurrent(items()[0] || null, { focus: false });
