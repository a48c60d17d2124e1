// The bell in the account links: the number of unread notifications, read when the page loads and
// raised live when a notification arrives on the project's event stream.
import { follow } from "./live.js";

const bell = document.querySelector(".bell");
const badge = bell && bell.querySelector(".bell-count");

function show(count) {
  badge.textContent = String(count);
  badge.hidden = count === 0;
  bell.setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications");
}

async function load() {
  const response = await fetch(bell.dataset.unread, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.ok) show((await response.json()).count);
}

if (badge) {
  load();
  follow(bell.dataset.events, bell.dataset.user, (event) => {
    if (event.kind === "notification.created") load();
  });
}
