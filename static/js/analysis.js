// The analysis page: each chart's PNG download, drawn from the chart's SVG file onto a canvas in the
// browser (twice the size, for print), and the comparison's grouping, which reloads its choices.
(() => {
  "use strict";

  const toPng = async (button) => {
    const response = await fetch(button.dataset.png, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`The chart could not be fetched (${response.status}).`);
    const svg = await response.text();
    const image = new Image();
    const loaded = new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error("The chart could not be drawn."));
    });
    image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;
    await loaded;
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = image.width * scale;
    canvas.height = image.height * scale;
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    const link = document.createElement("a");
    link.download = button.dataset.filename;
    link.href = canvas.toDataURL("image/png");
    document.body.append(link);
    link.click();
    link.remove();
  };

  document.querySelectorAll("button[data-png]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      button.disabled = true;
      toPng(button)
        .catch((error) => window.alert(error.message))
        .finally(() => { button.disabled = false; });
    });
  });

  const grouping = document.getElementById("compare-by");
  if (grouping) {
    grouping.addEventListener("change", () => {
      const form = grouping.form;
      form.querySelectorAll("#compare-a, #compare-b").forEach((select) => select.removeAttribute("name"));
      form.submit();
    });
  }
})();
