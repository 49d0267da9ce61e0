// As the asker types a title, list questions already asked that look like it (search's
// /search/similar/ endpoint, with the asker's own permissions). Without JavaScript the ask
// page works the same, minus this list. Titles are inserted as text, never as HTML.
(function () {
  "use strict";
  const section = document.querySelector("[data-similar-url]");
  const title = document.querySelector(".canvass-post-form input[name=title]");
  if (!section || !title) return;
  const list = section.querySelector("ul");
  const status = document.querySelector("[data-similar-status]");
  const group = title.closest(".usa-form-group");
  if (group) group.after(section);
  let timer = null;
  let asked = "";

  // `found` is the server's announcement of how many were found, pluralised for the
  // reader's language.
  function show(questions, found) {
    list.replaceChildren(
      ...questions.map(function (question) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.className = "usa-link";
        link.href = question.url;
        link.textContent = question.title;
        item.append(link);
        if (question.solved) {
          const tag = document.createElement("span");
          tag.className = "usa-tag bg-green margin-left-1";
          tag.textContent = section.dataset.solvedLabel;
          item.append(tag);
        }
        return item;
      }),
    );
    section.hidden = questions.length === 0;
    status.textContent = questions.length ? found : "";
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const text = title.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < 8) return show([]);
      const url = section.dataset.similarUrl + "?" + new URLSearchParams({ title: text });
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error(response.statusText);
        if (asked === text) {
          const reply = await response.json();
          show(reply.questions, reply.found);
        }
      } catch (error) {
        // Search being unreachable must never get in the way of asking; the next
        // keystroke asks again.
        if (asked === text) asked = "";
      }
    }, 300);
  });
})();
