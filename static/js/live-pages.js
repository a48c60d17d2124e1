// Live parts of the session page and the dashboard (docs/collaboration.md, "Live updates"): when
// someone else tags, deletes, reviews or submits, the page is read again and each part marked
// `data-live-part` whose content changed is swapped in place, the part in view keeping its place.
// What a part shows follows the page's own rules: the server renders it for the reader.
import { coalesce, follow, keepingView, readPage } from "./live.js";

const page = document.querySelector("[data-live]");

async function refresh() {
  const fresh = await readPage(window.location.href);
  if (!fresh) return;
  for (const part of document.querySelectorAll("[data-live-part]")) {
    const next = fresh.getElementById(part.id);
    if (!next || next.innerHTML === part.innerHTML) continue;
    const adopted = document.importNode(next, true);
    await keepingView(() => part.replaceWith(adopted), "[data-live-part]");
    if (window.htmx) window.htmx.process(adopted);
  }
}

if (page) {
  const kinds = new Set(page.dataset.liveKinds.split(" "));
  const soon = coalesce(refresh);
  follow(page.dataset.events, page.dataset.user, (event) => {
    if (kinds.has(event.kind)) soon();
  });
}
