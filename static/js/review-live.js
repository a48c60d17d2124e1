// The review queue, live (docs/collaboration.md, "Live updates"): a decision another reviewer
// makes marks its item at once; work submitted meanwhile appears as new rows, and the counts follow,
// without replacing what the reviewer is looking at or typing in.
import { coalesce, follow, keepingView, readPage } from "./live.js";

const queue = document.querySelector("[data-review-queue]");
const DECIDED = { approve: ["approved", "Approved"], reject: ["rejected", "Rejected"] };
const STATUSES = ["is-draft", "is-submitted", "is-approved", "is-rejected"];
// What can change the queue: a submission (a tag's status), a deletion, a decision. A new tag is a
// draft, never in the queue.
const REREAD = new Set(["annotation.updated", "annotation.deleted", "review.created"]);

function markDecided(event) {
  const kind = event.annotation ? "annotation" : "evidence";
  const item = document.getElementById(`review-${kind}-${event.annotation || event.evidence}`);
  if (!item || !DECIDED[event.decision]) return;
  const [status, label] = DECIDED[event.decision];
  item.classList.remove(...STATUSES, "just-decided");
  void item.offsetWidth; // restart the animation
  item.classList.add(`is-${status}`, "just-decided");
  const chip = item.querySelector(".review-head .status");
  chip.className = `status status-${status}`;
  chip.textContent = label;
  let note = item.querySelector(".review-elsewhere");
  if (!note) {
    note = document.createElement("p");
    note.className = "meta review-elsewhere";
    item.querySelector(".review-body").append(note);
  }
  note.textContent = `${label} by another reviewer just now.`;
}

// New rows where the queue, read again with the same filters, has them; the others stay as they are.
async function addNew() {
  const fresh = await readPage(window.location.href, { "HX-Request": "true" });
  const here = document.querySelector("[data-review-queue]");
  const next = fresh && fresh.getElementById("queue");
  if (!here || !next) return;
  const counts = [...next.querySelectorAll(".tabs .count, .queue-count")];
  [...here.querySelectorAll(".tabs .count, .queue-count")].forEach((count, at) => {
    if (counts[at]) count.textContent = counts[at].textContent;
  });
  const list = here.querySelector(".review-items");
  let previous = null;
  for (const item of next.querySelectorAll("[data-review-item]")) {
    const known = document.getElementById(item.id);
    if (known) {
      previous = known;
      continue;
    }
    const adopted = document.importNode(item, true);
    adopted.classList.add("is-new");
    const after = previous;
    await keepingView(() => (after ? after.after(adopted) : list.prepend(adopted)), "[data-review-item]");
    if (window.htmx) window.htmx.process(adopted);
    const empty = list.querySelector(":scope > .empty");
    if (empty) empty.remove();
    previous = adopted;
  }
}

if (queue) {
  const soon = coalesce(addNew);
  follow(queue.dataset.events, queue.dataset.user, (event) => {
    if (event.kind === "review.created") markDecided(event);
    if (REREAD.has(event.kind)) soon();
  });
}
