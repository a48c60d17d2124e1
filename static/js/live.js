// Live updates: the project's event stream (docs/collaboration.md, "Live updates").
//
// EventSource reconnects by itself when a stream ends (each lasts a few minutes) or the network
// drops, sending the last id it received, so no event is lost. Events the caller made are skipped:
// the page already shows them.

// One stream per URL on a page, however many parts of it follow the project.
const streams = new Map();

export function follow(url, me, onEvent) {
  if (!url || !window.EventSource) return;
  if (!streams.has(url)) {
    const listeners = [];
    const source = new EventSource(url);
    source.onmessage = (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
    streams.set(url, listeners);
  }
  streams.get(url).push((event) => {
    if (String(event.actor) !== String(me)) onEvent(event);
  });
}

// Runs `change` so that the first of `selector` in view keeps its place on the screen while what is
// above it grows or shrinks.
export function keepingView(change, selector = ".passage") {
  const anchor = [...document.querySelectorAll(selector)].find((e) => e.getBoundingClientRect().bottom > 0);
  const anchorId = anchor && anchor.id;
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  return Promise.resolve(change()).then(() => {
    const after = anchorId && document.getElementById(anchorId);
    if (after) window.scrollBy(0, after.getBoundingClientRect().top - before);
  });
}

// The page at `url` as a document, or null when it cannot be read now (the next event tries again).
export async function readPage(url, headers = {}) {
  try {
    const response = await fetch(url, { headers: { Accept: "text/html", ...headers }, credentials: "same-origin" });
    if (!response.ok) return null;
    return new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    return null;
  }
}

// `job` run soon after a burst of calls, once, and never twice at a time: a call while it runs
// runs it again when it is done.
export function coalesce(job, delay = 250) {
  let timer = null;
  let running = false;
  let again = false;
  const run = async () => {
    timer = null;
    running = true;
    try {
      await job();
    } finally {
      running = false;
      if (again) {
        again = false;
        timer = window.setTimeout(run, delay);
      }
    }
  };
  return () => {
    if (running) again = true;
    else if (!timer) timer = window.setTimeout(run, delay);
  };
}
