// The reader: keyboard navigation, tagging the selected text, undo, the link-to-claim dialog, the
// keys overlay, the sections drawer, and loading a long source's chunks as they are needed.
//
// The server renders everything; this module turns a selection into offsets (selection.js) and
// posts the passage's own tag form through htmx, so the page also works without it. Writes go
// through one queue, in the order the keys were pressed: a fast second key is never dropped.

import { follow, keepingView } from "./live.js";
import { say } from "./status.js";
import { passageOf, selectedSpan, showSpan, snapToWords, spanIn, wordsOf } from "./selection.js";

const root = document.documentElement;
root.classList.add("js");

const canAnnotate = document.body.classList.contains("can-annotate");
const dialog = document.getElementById("link-dialog");
const keysDialog = document.getElementById("keys-dialog");
const announcer = document.getElementById("selection-status");
const toc = document.getElementById("toc");
const themeKeys = new Map();
for (const button of document.querySelectorAll("#palette [data-theme]")) {
  if (button.dataset.key) themeKeys.set(button.dataset.key, button.dataset.theme);
}
// Keys of the reader itself, never a theme's (`i` belongs to the codebook's rules overlay).
const RESERVED = new Set(["j", "k", "c", "i", "v", "u", "n", "?"]);

let currentId = null;

function passageById(id) {
  return id ? document.querySelector(`.passage[data-passage="${CSS.escape(String(id))}"]`) : null;
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
    // A jump into a long source is instant: a smooth scroll would reveal, and load, every chunk
    // placeholder on the way.
    const smooth = scroll !== "jump" && !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    passage.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }
}

// --- The write queue: each job starts when the one before it has been answered and swapped. ---
let queue = Promise.resolve();

function enqueue(job) {
  queue = queue.then(job).catch(() => say("Something went wrong; reload the page and check your last tags.", "error"));
  return queue;
}

// --- Selections: snapped to whole words unless Alt was held while selecting. ---
let exact = false;
document.addEventListener("pointerdown", (event) => {
  if (event.target.closest && event.target.closest("[data-text]")) exact = event.altKey;
});

function chosenSpan() {
  const span = selectedSpan();
  if (!span || span.error || exact) return span;
  return snapToWords(span) || { error: "Select words, not only spaces." };
}

// --- Tagging ---
function tag(themeId, span = chosenSpan()) {
  if (span && span.error) return say(span.error, "error");
  const passage = span ? span.passage : current();
  if (!passage) return say("Select some text first, or move to a passage with j / k.", "error");
  const passageId = passage.dataset.passage;
  const offsets = span ? { start: span.start, end: span.end, quote: span.quote } : { start: "", end: "", quote: "" };
  endKeyboardSelection({ quiet: true });
  window.getSelection().removeAllRanges();
  enqueue(() => postTag(passageId, themeId, offsets));
}

function postTag(passageId, themeId, offsets) {
  const passage = passageById(passageId);
  const form = passage && passage.querySelector(".tag-form");
  if (!form) return null;
  form.elements.theme.value = themeId;
  form.elements.start.value = offsets.start;
  form.elements.end.value = offsets.end;
  form.elements.quote.value = offsets.quote;
  setCurrent(passage);
  return window.htmx.ajax("POST", form.getAttribute("hx-post"), { source: form, target: passage, swap: "outerHTML" });
}

// --- Undo: the server takes back the newest write of ours; the passage it touched is re-read. ---
let undone = null;
document.body.addEventListener("undone", (event) => {
  undone = event.detail;
});

function undo() {
  if (!canAnnotate || !document.querySelector("[data-undo-url]")) return;
  enqueue(async () => {
    undone = null;
    const url = document.querySelector("[data-undo-url]").dataset.undoUrl;
    await window.htmx.ajax("POST", url, { target: "#flash", swap: "innerHTML" });
    if (undone) await refresh(undone.passage, undone.ordinal);
  });
}

// The URL of this page's passages `first`..`last`, with its session and filter.
function chunkUrl(first, last) {
  const query = new URLSearchParams(window.location.search);
  query.set("from", first);
  query.set("to", last);
  return `${window.location.pathname}?${query}`;
}

function refresh(passageId, ordinal) {
  const passage = passageById(passageId);
  if (!passage) return null;
  return window.htmx.ajax("GET", chunkUrl(ordinal, ordinal), { target: passage, swap: "outerHTML" });
}

// --- Live: a colleague's tag, change, deletion or review appears without moving what is in view. ---
// A passage being written in (a note, a selection) is re-read when the writing is done.
function busy(passage) {
  const selection = window.getSelection();
  const selecting = selection && !selection.isCollapsed && passage.contains(selection.anchorNode);
  return selecting || (passage.contains(document.activeElement) && typing(document.activeElement)) || keyboard;
}

const stale = new Map();

function refreshLive(passageId, ordinal) {
  const passage = passageById(passageId);
  if (!passage) return; // not loaded: its chunk will be read as it is
  if (busy(passage)) {
    stale.set(passageId, ordinal);
    return;
  }
  stale.delete(passageId);
  enqueue(() => keepingView(() => refresh(passageId, ordinal)));
}

const passagesElement = document.getElementById("passages");
if (passagesElement) {
  const sourceId = passagesElement.dataset.source;
  follow(passagesElement.dataset.events, passagesElement.dataset.user, (event) => {
    if (event.kind === "presence") return; // presence.js lists who reads where
    if (String(event.source) === sourceId && event.passage) refreshLive(event.passage, event.ordinal);
  });
  window.setInterval(() => {
    for (const [passageId, ordinal] of stale) refreshLive(passageId, ordinal);
  }, 1000);
}

// --- Chunks of a long source: placeholders load when revealed, or when a key or link needs them. ---
function loadChunk(placeholder) {
  return new Promise((resolve) => {
    const done = () => {
      if (document.contains(placeholder)) return;
      document.body.removeEventListener("htmx:afterSettle", done);
      resolve();
    };
    document.body.addEventListener("htmx:afterSettle", done);
    window.htmx.trigger(placeholder, "load-chunk");
  });
}

function chunkWith(ordinal) {
  return [...document.querySelectorAll(".chunk-pending")].find(
    (element) => Number(element.dataset.from) <= ordinal && ordinal <= Number(element.dataset.to),
  );
}

async function goTo(ordinal, options) {
  let passage = document.getElementById(`passage-${ordinal}`);
  const pending = passage ? null : chunkWith(ordinal);
  if (pending) {
    await loadChunk(pending);
    passage = document.getElementById(`passage-${ordinal}`);
  }
  if (passage) setCurrent(passage, options);
}

// --- Keyboard selection: v, then Shift+arrows grow and shrink it by words, arrows move it. ---
let keyboard = null; // {passageId, words, from, to} (indices into words)

function announce(message) {
  if (announcer) announcer.textContent = message;
}

function showKeyboardSelection() {
  const passage = passageById(keyboard.passageId);
  if (!passage) return endKeyboardSelection({ quiet: true });
  const [start] = keyboard.words[keyboard.from];
  const [, end] = keyboard.words[keyboard.to];
  const span = spanIn(passage, start, end);
  showSpan(span);
  exact = false;
  const count = keyboard.to - keyboard.from + 1;
  announce(`Selected “${span.quote}”, ${count} word${count === 1 ? "" : "s"}. Press a theme key to tag it, Escape to cancel.`);
}

function startKeyboardSelection() {
  const passage = current() || document.querySelector(".passage");
  if (!passage) return;
  const words = wordsOf(passage);
  if (!words.length) return say("This passage has no words to select.", "error");
  setCurrent(passage, { focus: true });
  keyboard = { passageId: passage.dataset.passage, words, from: 0, to: 0 };
  showKeyboardSelection();
}

function endKeyboardSelection({ quiet = false } = {}) {
  if (!keyboard) return;
  keyboard = null;
  if (!quiet) {
    window.getSelection().removeAllRanges();
    announce("Selection cancelled.");
  }
}

function steerKeyboardSelection(key, shift) {
  const last = keyboard.words.length - 1;
  if (shift && key === "ArrowRight") keyboard.to = Math.min(keyboard.to + 1, last);
  else if (shift) keyboard.to = Math.max(keyboard.to - 1, keyboard.from);
  else if (key === "ArrowRight" && keyboard.to < last) [keyboard.from, keyboard.to] = [keyboard.from + 1, keyboard.to + 1];
  else if (key === "ArrowLeft" && keyboard.from > 0) [keyboard.from, keyboard.to] = [keyboard.from - 1, keyboard.to - 1];
  showKeyboardSelection();
}

// --- The link dialog ---
function openLinkDialog(passage = null) {
  if (!dialog) return;
  const span = passage ? null : chosenSpan();
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

async function move(step) {
  endKeyboardSelection({ quiet: true });
  const here = current();
  const beyond = here && (step > 0 ? here.nextElementSibling : here.previousElementSibling);
  if (beyond && beyond.classList.contains("chunk-pending")) await loadChunk(beyond);
  const passages = [...document.querySelectorAll(".passage")];
  if (!passages.length) return;
  const at = passages.indexOf(current());
  const next = at < 0 ? passages[0] : passages[Math.min(Math.max(at + step, 0), passages.length - 1)];
  setCurrent(next, { focus: true, scroll: true });
}

// --- Suggestions: `n` makes the next one current, Enter accepts it, Delete (or Backspace) rejects it. ---
let currentSuggestion = null;

function suggestionEntries() {
  return [...document.querySelectorAll(".suggestion[data-suggestion]")];
}

function showSuggestion(entry) {
  for (const old of document.querySelectorAll(".is-current-suggestion")) old.classList.remove("is-current-suggestion");
  currentSuggestion = entry ? entry.dataset.suggestion : null;
  if (!entry) return;
  entry.classList.add("is-current-suggestion");
  for (const mark of document.querySelectorAll(`mark[data-suggestion="${CSS.escape(currentSuggestion)}"]`)) {
    mark.classList.add("is-current-suggestion");
  }
  setCurrent(passageOf(entry), { scroll: true });
  const theme = entry.querySelector(".chip").textContent.trim();
  const score = entry.querySelector(".suggestion-score").textContent.trim();
  announce(`Suggestion: ${theme}, score ${score}. Enter accepts, Delete rejects, n moves on.`);
}

function nextSuggestion() {
  const entries = suggestionEntries();
  if (!entries.length) return say("No suggestions on the passages shown.", "error");
  const at = entries.findIndex((entry) => entry.dataset.suggestion === currentSuggestion);
  let next = at >= 0 ? entries[at + 1] : null;
  if (at < 0 && current()) {
    // From the current passage on: its own suggestions first, then the ones after it.
    next = entries.find((entry) => {
      const passage = passageOf(entry);
      return passage === current() || current().compareDocumentPosition(passage) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
  }
  showSuggestion(next || entries[0]);
}

function answerSuggestion(kind) {
  const entry = currentSuggestion && document.getElementById(`suggestion-${currentSuggestion}`);
  if (!entry) return false;
  const form = entry.querySelector(`form[data-${kind}]`);
  const passage = passageOf(entry);
  currentSuggestion = null;
  enqueue(() => window.htmx.ajax("POST", form.getAttribute("hx-post"), { source: form, target: passage, swap: "outerHTML" }));
  return true;
}

function anyDialogOpen() {
  return [dialog, keysDialog].some((element) => element && element.open);
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || typing(event.target) || anyDialogOpen()) return;
  const key = event.key;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && key.toLowerCase() === "z") {
    if (!canAnnotate) return;
    event.preventDefault();
    undo();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (key === "?") {
    event.preventDefault();
    if (keysDialog) keysDialog.showModal();
    return;
  }
  if (key === "j" || key === "k") {
    event.preventDefault();
    move(key === "j" ? 1 : -1);
    return;
  }
  if (!canAnnotate) return;
  if (keyboard && (key === "ArrowRight" || key === "ArrowLeft")) {
    event.preventDefault();
    steerKeyboardSelection(key, event.shiftKey);
    return;
  }
  if (keyboard && key === "Escape") {
    event.preventDefault();
    endKeyboardSelection();
    return;
  }
  if (key === "v") {
    event.preventDefault();
    startKeyboardSelection();
    return;
  }
  if (key === "u") {
    event.preventDefault();
    undo();
    return;
  }
  if (key === "n") {
    event.preventDefault();
    nextSuggestion();
    return;
  }
  if (key === "Enter" && !event.target.closest("a, button, summary") && answerSuggestion("accept")) {
    event.preventDefault();
    return;
  }
  if ((key === "Delete" || key === "Backspace") && answerSuggestion("reject")) {
    event.preventDefault();
    return;
  }
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

// A tap or click on a palette button must not lose the selection it is about to tag: the span
// is taken as the pointer goes down, before a touch screen clears the selection.
const palette = document.getElementById("palette");
if (palette) {
  let armed = null;
  palette.addEventListener("pointerdown", (event) => {
    if (event.target.closest("button[data-theme], button[data-action]")) armed = chosenSpan();
  });
  palette.addEventListener("mousedown", (event) => {
    if (event.target.closest("button")) event.preventDefault();
  });
  palette.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const span = armed || chosenSpan();
    armed = null;
    if (button.dataset.theme) tag(button.dataset.theme, span);
    else if (button.dataset.action === "link") openLinkDialog();
  });
}

// The status line's Undo button goes through the same queue as the keys.
document.addEventListener(
  "click",
  (event) => {
    if (!event.target.closest || !event.target.closest("[data-undo]")) return;
    event.preventDefault();
    event.stopPropagation();
    undo();
  },
  true,
);

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-link-claim]");
  if (link && dialog) {
    event.preventDefault();
    openLinkDialog(passageOf(link));
    return;
  }
  const closer = event.target.closest("[data-close-dialog]");
  if (closer) {
    event.preventDefault();
    closer.closest("dialog").close();
    return;
  }
  if (event.target.closest("[data-open-keys]") && keysDialog) {
    keysDialog.showModal();
    return;
  }
  if (event.target.closest(".drawer-toggle")) {
    toggleDrawer();
    return;
  }
  if (event.target.closest("#toc a")) toggleDrawer(false);
  const passage = passageOf(event.target);
  if (passage && !event.target.closest("a, button, summary, input, textarea, select, label")) {
    endKeyboardSelection({ quiet: true });
    setCurrent(passage);
    const mark = event.target.closest("mark[data-annotation]");
    const selection = window.getSelection();
    if (mark && selection && selection.isCollapsed) point(mark.dataset.annotation);
    const suggested = event.target.closest("mark[data-suggestion]");
    if (suggested && selection && selection.isCollapsed) {
      showSuggestion(document.getElementById(`suggestion-${suggested.dataset.suggestion}`));
    }
  }
});

// --- Sections and keys: a drawer on narrow screens, opened by a button. ---
const drawerButton = document.querySelector(".drawer-toggle");
for (const hidden of document.querySelectorAll(".drawer-toggle, [data-open-keys]")) hidden.hidden = false;

function toggleDrawer(open = !toc.classList.contains("is-open")) {
  if (!toc || !drawerButton) return;
  toc.classList.toggle("is-open", open);
  drawerButton.setAttribute("aria-expanded", String(open));
}

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

// Opening a link to #passage-N makes that passage the current one, loading its chunk if need be.
function fromHash() {
  const match = /^#passage-(\d+)$/.exec(window.location.hash);
  if (!match) return;
  const loaded = document.getElementById(`passage-${match[1]}`);
  goTo(Number(match[1]), { focus: true, scroll: loaded ? false : "jump" });
}
window.addEventListener("hashchange", fromHash);
// After htmx has set up the page (its own DOMContentLoaded listener runs first), so that a chunk
// placeholder answers the request to load.
if (window.htmx && document.readyState === "complete") fromHash();
else document.addEventListener("DOMContentLoaded", fromHash);
