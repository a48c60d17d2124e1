// Selections in the reader as the server counts them: offsets in Unicode code points into a
// passage's text, end-exclusive. JS strings count UTF-16 units, so every length goes through
// Array.from. The passage text element ([data-text]) holds exactly the passage text, cut into
// highlight <mark>s, so DOM positions map to offsets by counting its text nodes.

export function passageOf(node) {
  const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  return element ? element.closest(".passage") : null;
}

function textOf(passage) {
  return passage.querySelector("[data-text]");
}

export function characters(passage) {
  return Array.from(textOf(passage).textContent);
}

// A span of `passage` as {passage, start, end, quote}, the quote cut from the passage's own text.
export function spanIn(passage, start, end) {
  return { passage, start, end, quote: characters(passage).slice(start, end).join("") };
}

// The current DOM selection as a span of one passage, or null when nothing is selected.
// A selection running past the passage text (into its tags, say) is cut at the text's edges.
export function selectedSpan() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const passage = passageOf(range.startContainer);
  if (!passage || passage !== passageOf(range.endContainer)) {
    return { error: "Select text inside one passage." };
  }
  const text = textOf(passage);
  const bounds = document.createRange();
  bounds.selectNodeContents(text);
  const span = range.cloneRange();
  if (span.compareBoundaryPoints(Range.START_TO_START, bounds) < 0) span.setStart(text, 0);
  if (span.compareBoundaryPoints(Range.END_TO_END, bounds) > 0) span.setEnd(text, text.childNodes.length);
  const before = document.createRange();
  before.setStart(text, 0);
  before.setEnd(span.startContainer, span.startOffset);
  const start = Array.from(before.toString()).length;
  const end = start + Array.from(span.toString()).length;
  const inside = span.startContainer === text || text.contains(span.startContainer);
  if (end <= start || !inside) return { error: "Select words in the passage text itself." };
  return spanIn(passage, start, end);
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const SPACE = /\s/u;

// Widen a span that cuts a word to the whole word, and trim spaces at its edges, so that two
// people selecting the same words save the same offsets whatever their mouse did.
export function snapToWords(span) {
  const chars = characters(span.passage);
  let { start, end } = span;
  while (start < end && SPACE.test(chars[start])) start += 1;
  while (end > start && SPACE.test(chars[end - 1])) end -= 1;
  if (end === start) return null;
  while (start > 0 && WORD.test(chars[start - 1]) && WORD.test(chars[start])) start -= 1;
  while (end < chars.length && WORD.test(chars[end - 1]) && WORD.test(chars[end])) end += 1;
  return spanIn(span.passage, start, end);
}

// The passage's words as [start, end) code-point offsets: runs of letters and digits, joined by
// an inner hyphen or apostrophe ("so-called", "China’s").
export function wordsOf(passage) {
  const chars = characters(passage);
  const words = [];
  let at = 0;
  while (at < chars.length) {
    if (!WORD.test(chars[at])) {
      at += 1;
      continue;
    }
    const start = at;
    while (at < chars.length && (WORD.test(chars[at]) || (/['’-]/u.test(chars[at]) && WORD.test(chars[at + 1] || "")))) {
      at += 1;
    }
    words.push([start, at]);
  }
  return words;
}

// Show `span` as the page's selection (what a drag would have made).
export function showSpan(span) {
  const text = textOf(span.passage);
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let counted = 0;
  let started = false;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const units = Array.from(node.data);
    const length = units.length;
    const offset = (n) => units.slice(0, n - counted).join("").length;
    if (!started && span.start <= counted + length) {
      range.setStart(node, offset(span.start));
      started = true;
    }
    if (started && span.end <= counted + length) {
      range.setEnd(node, offset(span.end));
      break;
    }
    counted += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
