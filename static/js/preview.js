// Live preview of a post's Markdown while the person types. Without JavaScript the
// Preview button does the same through the server. The HTML comes from the server's one
// rendering function, already sanitised.
(function () {
  "use strict";
  const form = document.querySelector(".canvass-post-form");
  if (!form) return;
  const body = form.querySelector("textarea[name=body]");
  const section = form.querySelector(".canvass-preview");
  const target = form.querySelector("[data-preview-target]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null;
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const data = new FormData();
      data.append("body", body.value);
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrf },
        credentials: "same-origin",
      });
      if (response.ok) {
        target.innerHTML = await response.text();
        section.hidden = body.value.trim() === "";
      }
    }, 400);
  });
})();
