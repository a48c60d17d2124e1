// Presence: who else is reading this source, and at which passage (docs/collaboration.md,
// "Presence"). The page says where it is — the current passage when it is on the screen, else the
// passage near the top of the screen — when that changes and as a heartbeat; the answer lists the
// others, and `presence` events on the project's stream keep the list up to date between beats.
import { follow } from "./live.js";

const box = document.getElementById("presence");
const passages = document.getElementById("passages");
const people = new Map();
let sent = null; // the passage last said
let moved = true;
let every = 15000; // a third of the time a place is kept, from the server's answer

function csrf() {
  const meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
}

function inView() {
  const current = passages.querySelector(".passage.is-current");
  if (current) {
    const { top, bottom } = current.getBoundingClientRect();
    if (bottom > 0 && top < window.innerHeight) return current;
  }
  const line = window.innerHeight * 0.25;
  return [...passages.querySelectorAll(".passage")].find((p) => p.getBoundingClientRect().bottom > line) || null;
}

function render() {
  const list = box.querySelector(".presence-list");
  const rows = [...people.values()].sort((a, b) => (a.ordinal ?? Infinity) - (b.ordinal ?? Infinity) || a.name.localeCompare(b.name));
  list.replaceChildren(
    ...rows.map((place) => {
      const item = document.createElement("li");
      item.className = "presence-person";
      item.dataset.user = place.user;
      const who = document.createElement("span");
      who.className = "person";
      who.textContent = `${place.name} `;
      const badge = document.createElement("abbr");
      badge.className = "author initials";
      badge.title = place.name;
      badge.textContent = place.initials;
      who.append(badge);
      item.append(who);
      if (place.ordinal !== null && place.ordinal !== undefined) {
        const at = document.createElement("a");
        at.href = `#passage-${place.ordinal}`;
        at.textContent = `passage ${place.ordinal}`;
        item.append(" at ", at);
      }
      return item;
    }),
  );
  box.querySelector(".presence-none").hidden = rows.length > 0;
}

function remember(list) {
  people.clear();
  for (const place of list) people.set(String(place.user), place);
  render();
}

async function beat() {
  const passage = inView();
  const passageId = passage ? Number(passage.dataset.passage) : null;
  sent = passageId;
  try {
    const response = await fetch(box.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ passage: passageId }),
    });
    if (!response.ok) return;
    const answer = await response.json();
    every = (answer.seconds * 1000) / 3;
    remember(answer.present);
  } catch {
    // offline for a moment: the next beat says it again
  }
}

if (box && passages) {
  box.hidden = false;
  window.addEventListener("scroll", () => (moved = true), { passive: true });
  document.addEventListener("click", () => (moved = true));
  document.addEventListener("keyup", () => (moved = true));
  let last = Date.now();
  const tick = () => {
    const passage = moved ? inView() : null;
    moved = false;
    const changed = passage && Number(passage.dataset.passage) !== sent;
    if (changed || Date.now() - last >= every) {
      last = Date.now();
      beat();
    }
  };
  beat();
  window.setInterval(tick, 1000);
  follow(box.dataset.events, box.dataset.user, (event) => {
    if (event.kind !== "presence" || String(event.source) !== box.dataset.source) return;
    if (event.present) people.set(String(event.object), { user: event.object, name: event.name, initials: event.initials, passage: event.passage, ordinal: event.ordinal });
    else people.delete(String(event.object));
    render();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) beat(); // back from the browser's cache: here again
  });
  window.addEventListener("pagehide", () => {
    fetch(box.dataset.url, { method: "DELETE", keepalive: true, credentials: "same-origin", headers: { "X-CSRFToken": csrf() } }).catch(() => {});
  });
}
