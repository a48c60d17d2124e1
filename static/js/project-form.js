// New project: propose a slug from the name as it is typed, until the slug is edited by hand.
(function () {
  "use strict";
  var name = document.querySelector("[data-slug-source]");
  var slug = document.querySelector("[data-slug-target]");
  if (!name || !slug) return;
  var proposed = slug.value === "";

  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 64);
  }

  function propose() {
    if (proposed) slug.value = slugify(name.value);
  }

  name.addEventListener("input", propose);
  propose(); // a name typed while this script was still loading
  slug.addEventListener("input", function () {
    proposed = slug.value === "";
  });
})();
