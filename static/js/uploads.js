// The upload form: files dropped on the drop zone go into its file input ("Files"), and the chosen
// files are listed with their sizes, so the form posts them as if picked with the input.

const form = document.querySelector("[data-upload-form]");
const zone = form && form.querySelector("[data-drop-zone]");
const input = form && form.querySelector("input[type=file]");
const list = form && form.querySelector("[data-drop-list]");
const ACCEPTED = /\.(txt|md|pdf)$/i;

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function listFiles() {
  list.replaceChildren();
  for (const file of input.files) {
    const item = document.createElement("li");
    item.textContent = `${file.name} (${size(file.size)})`;
    if (!ACCEPTED.test(file.name)) {
      item.className = "field-error";
      item.textContent += " — not a .txt, .md or .pdf file";
    }
    list.append(item);
  }
}

if (zone && input) {
  input.addEventListener("change", listFiles);
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("is-dragging");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("is-dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-dragging");
    const dropped = new DataTransfer();
    for (const file of input.files) dropped.items.add(file);
    for (const file of event.dataTransfer.files) dropped.items.add(file);
    input.files = dropped.files;
    listFiles();
  });
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = input.files.length ? `Uploading ${input.files.length} file(s)…` : "Reading…";
  });
}
