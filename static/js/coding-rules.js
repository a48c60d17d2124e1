// A theme's coding rules and anchor examples in the reader, on demand: a "?" button beside each
// palette entry, and the key i for the theme used last (the first theme before any is used).
//
// Kept apart from reader.js: it only reads the palette's buttons, remembers which theme was used,
// and opens the #coding-rules dialog that templates/sources/codebook/reader_rules.html renders.

const dialog = document.getElementById("coding-rules");
const palette = document.getElementById("palette");
let lastTheme = null;

const body = dialog && dialog.querySelector("#coding-rules-body");
const title = dialog && dialog.querySelector("#coding-rules-title");

// The rules come from the server as an HTML fragment (escaped there), one theme at a time.
async function show(themeId) {
  const id = themeId || (dialog && dialog.dataset.firstTheme);
  if (!dialog || !id) return;
  title.textContent = "Coding rules";
  body.innerHTML = '<p class="muted">Loading…</p>';
  if (!dialog.open) dialog.showModal();
  dialog.querySelector("[data-close-rules]").focus();
  const response = await fetch(`${dialog.dataset.rulesBase}${encodeURIComponent(id)}/rules/`, {
    headers: { Accept: "text/html" },
  });
  if (!response.ok) {
    body.textContent = `The rules could not be loaded (error ${response.status}).`;
    return;
  }
  body.innerHTML = await response.text();
  const section = body.querySelector("[data-rules-theme]");
  if (section) title.textContent = `Coding rules: ${section.dataset.rulesName}`;
}

function typing(element) {
  return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

const themeKeys = new Map();

if (dialog && palette) {
  for (const button of palette.querySelectorAll("[data-theme]")) {
    if (button.dataset.key) themeKeys.set(button.dataset.key, button.dataset.theme);
    const help = document.createElement("button");
    help.type = "button";
    help.className = "rules-button";
    help.dataset.rulesFor = button.dataset.theme;
    help.textContent = "?";
    const name = button.textContent.replace(button.dataset.key || "", "").trim();
    // Named "Coding rules" and described by the theme, so the theme's own button stays the only one
    // whose name is the theme's.
    help.setAttribute("aria-label", "Coding rules");
    help.title = `Coding rules of ${name} (i)`;
    button.after(help);
  }

  palette.addEventListener("click", (event) => {
    const help = event.target.closest("[data-rules-for]");
    if (help) {
      show(help.dataset.rulesFor);
      return;
    }
    const themeButton = event.target.closest("[data-theme]");
    if (themeButton) lastTheme = themeButton.dataset.theme;
  });
}

if (dialog) {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]") && !dialog.open) return;
    if (event.key === "i" && !dialog.open) {
      event.preventDefault();
      show(lastTheme);
      return;
    }
    const theme = themeKeys.get(event.key) || themeKeys.get(event.key.toLowerCase());
    if (theme) lastTheme = theme;
  });

  // Keys pressed while the rules are open stay in the dialog: a theme's key must not tag the passage
  // behind it. Escape still closes the dialog (the browser's own handling, not a listener).
  dialog.addEventListener("keydown", (event) => event.stopPropagation());

  dialog.addEventListener("click", (event) => {
    // A click on the backdrop (the dialog element itself) or on Close closes it.
    if (event.target === dialog || event.target.closest("[data-close-rules]")) dialog.close();
  });
}
