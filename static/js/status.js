// The page's status line (#flash, a live region): one message at a time, "ok" or "error".

const flash = document.getElementById("flash");

export function say(message, level = "ok") {
  if (!flash) return;
  const line = document.createElement("span");
  line.className = `flash flash-${level}`;
  line.textContent = message;
  flash.replaceChildren(line);
}
