// The grades page's rubric: "Add a criterion" appends a blank row (a copy of the formset's empty
// form), and a row marked for removal is struck through. Without this module the form still has one
// blank row to fill in and a Remove box per row. Listeners sit on the document, so they keep working
// after htmx swaps the rubric in again.

function rubricForm(element) {
  return element.closest(".rubric-form");
}

function showAddButtons() {
  for (const button of document.querySelectorAll("[data-add-criterion]")) button.hidden = false;
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-criterion]");
  if (!button) return;
  const form = rubricForm(button);
  const total = form.querySelector('input[name="criteria-TOTAL_FORMS"]');
  const template = form.querySelector("#criterion-template");
  const index = Number(total.value);
  const row = template.content.firstElementChild.cloneNode(true);
  for (const element of row.querySelectorAll("[name], [id], [for]")) {
    for (const attribute of ["name", "id", "for"]) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replace("__prefix__", String(index)));
    }
  }
  form.querySelector("[data-rubric-rows]").append(row);
  total.value = String(index + 1);
  row.querySelector('input[type="text"]').focus();
});

document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.name.endsWith("-DELETE")) return;
  box.closest(".criterion-row").classList.toggle("is-removed", box.checked);
});

showAddButtons();
document.addEventListener("htmx:afterSettle", showAddButtons);
