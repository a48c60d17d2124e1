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
