// The reader: keyboard navigation, tagging the selected text, and the link-to-claim dialog.
//
// The server renders everything; this module only turns a DOM selection into offsets and fills
// the passage's own tag form (which htmx posts), so the page also works without it.
// Offsets count Unicode code points, as the server does: JS strings count UTF-16 units, so
// lengths go through Array.from.

import { say } from "./status.js";

const root = document.documentElement;
root.classList.add("js");

const canAnnotate = document.body.classList.contains("can-annotate");
const dialog = document.getElementById("link-dialog");
const themeKeys = new Map();
for (const button of document.querySelectorAll("#palette [data-theme]")) {
  if (button.dataset.key) themeKeys.set(button.dataset.key, button.dataset.theme);
}
const RESERVED = new Set(["j", "k", "c"]);

let currentId = null;

function passageOf(node) {
  const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  return element ? element.closest(".passage") : null;
}

function passageById(id) {
  return id ? document.querySelector(`.passage[data-passage="${CSS.escape(id)}"]`) : null;
}

function current() {
  return passageById(currentId);
}

function setCurrent(passage, { focus = false, scroll = false } = {}) {
  for (const old of document.querySelectorAll(".passage.is-current")) old.classList.remove("is-current");
  if (!passage) return;
  currentId = passage.dataset.passage;
  passage.classList.add("is-current");
  if (focus) passage.focus({ preventScroll: true });
  if (scroll) {
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    passage.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }
}

function codePoints(text) {
  return Array.from(text).length;
}

// The current selection as offsets into one passage's text, or null when nothing is selected.
// A selection running past the passage text (into its tags, say) is cut at the text's edges.
function selectedSpan() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const passage = passageOf(range.startContainer);
  if (!passage || passage !== passageOf(range.endContainer)) {
    return { error: "Select text inside one passage." };
  }
  const text = passage.querySelector("[data-text]");
  const bounds = document.createRange();
  bounds.selectNodeContents(text);
  const span = range.cloneRange();
  if (span.compareBoundaryPoints(Range.START_TO_START, bounds) < 0) span.setStart(text, 0);
  if (span.compareBoundaryPoints(Range.END_TO_END, bounds) > 0) span.setEnd(text, text.childNodes.length);
  const before = document.createRange();
  before.setStart(text, 0);
  before.setEnd(span.startContainer, span.startOffset);
  const start = codePoints(before.toString());
  const quote = span.toString();
  const end = start + codePoints(quote);
  const inside = span.startContainer === text || text.contains(span.startContainer);
  if (end <= start || !inside) return { error: "Select words in the passage text itself." };
  return { passage, start, end, quote };
}

function tag(themeId) {
  const span = selectedSpan();
  if (span && span.error) return say(span.error, "error");
  const passage = span ? span.passage : current();
  if (!passage) return say("Select some text first, or move to a passage with j / k.", "error");
  const form = passage.querySelector(".tag-form");
  if (!form) return;
  form.elements.theme.value = themeId;
  form.elements.start.value = span ? span.start : "";
  form.elements.end.value = span ? span.end : "";
  form.elements.quote.value = span ? span.quote : "";
  setCurrent(passage);
  window.getSelection().removeAllRanges();
  form.requestSubmit();
}

function openLinkDialog(passage = null) {
  if (!dialog) return;
  const span = passage ? null : selectedSpan();
  if (span && span.error) return say(span.error, "error");
  const target = passage || (span ? span.passage : current());
  if (!target) return say("Select some text first, or move to a passage with j / k.", "error");
  setCurrent(target);
  let url = target.querySelector("[data-link-claim]").getAttribute("href");
  if (span) url += `${url.includes("?") ? "&" : "?"}start=${span.start}&end=${span.end}`;
  dialog.showModal();
  window.htmx.ajax("GET", url, { target: "#link-dialog-body", swap: "innerHTML" }).then(() => {
    const first = dialog.querySelector("input[name=evidence]:checked") || dialog.querySelector("select");
    if (first) first.focus();
  });
}

function typing(element) {
  return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

function move(step) {
  const passages = [...document.querySelectorAll(".passage")];
  if (!passages.length) return;
  const at = passages.indexOf(current());
  const next = at < 0 ? passages[0] : passages[Math.min(Math.max(at + step, 0), passages.length - 1)];
  setCurrent(next, { focus: true, scroll: true });
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target) || (dialog && dialog.open)) return;
  const key = event.key;
  if (key === "j" || key === "k") {
    event.preventDefault();
    move(key === "j" ? 1 : -1);
    return;
  }
  if (!canAnnotate) return;
  if (key === "c") {
    event.preventDefault();
    openLinkDialog();
    return;
  }
  const theme = RESERVED.has(key) ? null : themeKeys.get(key) || themeKeys.get(key.toLowerCase());
  if (theme) {
    event.preventDefault();
    tag(theme);
  }
});

// Clicking a palette button must not clear the selection it is about to tag.
const palette = document.getElementById("palette");
if (palette) {
  palette.addEventListener("mousedown", (event) => {
    if (event.target.closest("button")) event.preventDefault();
  });
  palette.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.theme) tag(button.dataset.theme);
    else if (button.dataset.action === "link") openLinkDialog();
  });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-link-claim]");
  if (link && dialog) {
    event.preventDefault();
    openLinkDialog(passageOf(link));
    return;
  }
  if (event.target.closest("[data-close-dialog]") && dialog) {
    event.preventDefault();
    dialog.close();
    return;
  }
  const passage = passageOf(event.target);
  if (passage && !event.target.closest("a, button, summary, input, textarea, select, label")) {
    setCurrent(passage);
    const mark = event.target.closest("mark[data-annotation]");
    const selection = window.getSelection();
    if (mark && selection && selection.isCollapsed) point(mark.dataset.annotation);
  }
});

// A click on a highlight points at its entry in the tag list (theme, author, note).
function point(annotationId) {
  const entry = document.getElementById(`annotation-${annotationId}`);
  if (!entry) return;
  entry.classList.remove("is-pointed");
  void entry.offsetWidth; // restart the animation
  entry.classList.add("is-pointed");
  entry.scrollIntoView({ block: "nearest" });
}

document.body.addEventListener("evidence-linked", () => {
  if (dialog && dialog.open) dialog.close();
});

if (dialog) {
  dialog.addEventListener("close", () => {
    const passage = current();
    if (passage) passage.focus({ preventScroll: true });
  });
}

// After htmx re-renders a passage, it is still the current one and keeps the keyboard focus.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const passage = current();
  if (!passage) return;
  passage.classList.add("is-current");
  if (event.target && event.target.closest && event.target.closest(".passage") === passage) {
    if (document.activeElement === document.body || !document.contains(document.activeElement)) {
      passage.focus({ preventScroll: true });
    }
  }
});

document.body.addEventListener("htmx:sendError", () => say("The server cannot be reached; nothing was saved.", "error"));
document.body.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  say(status === 403 ? "You may not change this." : `Not saved (error ${status}). Reload and try again.`, "error");
});

// Opening a link to #passage-N makes that passage the current one.
function fromHash() {
  const match = /^#passage-(\d+)$/.exec(window.location.hash);
  const passage = match && document.getElementById(`passage-${match[1]}`);
  if (passage) setCurrent(passage, { focus: true });
}
window.addEventListener("hashchange", fromHash);
fromHash();
