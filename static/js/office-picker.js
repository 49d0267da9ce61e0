// Type-ahead for the office on the verification page: the WAI-ARIA combobox pattern (a text
// box with a listbox popup). Without JavaScript the page's search form and <select> do the
// same through the server. This puts a text box in the <select>'s place that asks
// /accounts/offices/ as the person types, and posts the chosen office's id under the
// <select>'s name, so the server reads the same form either way.
(function () {
  "use strict";
  const form = document.querySelector("form[data-offices-url]");
  if (!form) return;
  const select = form.querySelector("select[name=jurisdiction]");
  const search = document.querySelector("form[data-office-search]");
  const state = search.querySelector("[name=state]");
  const data = form.dataset;
  const WAIT_MS = 250;
  const SHORTEST_QUERY_WITHOUT_STATE = 2;

  const input = document.createElement("input");
  input.type = "text";
  input.id = select.id;
  input.className = select.className.replace("usa-select", "usa-input");
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", select.id + "_listbox");
  const hint = document.createElement("div");
  hint.className = "usa-hint";
  hint.id = select.id + "_typeahead_hint";
  hint.textContent = data.hint;
  const described = [hint.id, select.getAttribute("aria-describedby")];
  input.setAttribute("aria-describedby", described.join(" ").trim());

  const label = form.querySelector('label[for="' + select.id + '"]');
  label.id = label.id || select.id + "_label";
  const listbox = document.createElement("ul");
  listbox.id = select.id + "_listbox";
  listbox.className = "canvass-combobox__list";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-labelledby", label.id);
  listbox.hidden = true;
  const status = document.createElement("div");
  status.className = "usa-sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  // The value the form posts: the chosen office's id, or nothing while the text box holds
  // something not chosen from the list (the server then asks for an office).
  const value = document.createElement("input");
  value.type = "hidden";
  value.name = select.name;
  value.value = select.value;
  if (select.value) input.value = select.selectedOptions[0].textContent;

  const combobox = document.createElement("div");
  combobox.className = "canvass-combobox";
  combobox.append(input, listbox);
  select.replaceWith(hint, combobox, value, status);
  // The name search and its button are the no-JavaScript way; the state still narrows.
  search.querySelector("[name=q]").closest(".usa-form-group").hidden = true;
  search.querySelector("[type=submit]").hidden = true;

  let offices = [];
  let active = -1;
  let timer = null;
  let latest = 0;

  function searchable(query) {
    return query.length >= SHORTEST_QUERY_WITHOUT_STATE || state.value !== "";
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function cancel() {
    clearTimeout(timer);
    latest += 1; // an answer still on its way is for an older query
  }

  function option(office, index) {
    const item = document.createElement("li");
    item.id = listbox.id + "_" + index;
    item.className = "canvass-combobox__option";
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    const kind = document.createElement("span");
    kind.className = "canvass-combobox__kind";
    kind.textContent = office.kind;
    item.append(office.label, " ", kind);
    return item;
  }

  function show(results) {
    offices = results;
    close();
    listbox.replaceChildren(...results.map(option));
    if (results.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    status.textContent = results.length
      ? data.found.replace("{count}", results.length)
      : data.none;
  }

  async function suggest(query) {
    cancel();
    const ticket = latest;
    const params = new URLSearchParams({ q: query });
    if (state.value) params.set("state", state.value);
    try {
      const response = await fetch(data.officesUrl + "?" + params, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(response.status);
      const answer = await response.json();
      if (ticket === latest) show(answer.results);
    } catch (error) {
      if (ticket === latest) {
        close();
        status.textContent = data.failed;
      }
    }
  }

  function activate(index) {
    if (active >= 0) listbox.children[active].setAttribute("aria-selected", "false");
    active = index;
    const item = listbox.children[index];
    item.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  function choose(index) {
    input.value = offices[index].label;
    value.value = offices[index].id;
    cancel();
    close();
  }

  input.addEventListener("input", function () {
    value.value = "";
    cancel();
    const query = input.value.trim();
    if (query === "" || !searchable(query)) {
      close();
      return;
    }
    timer = setTimeout(suggest, WAIT_MS, query);
  });

  input.addEventListener("keydown", function (event) {
    const open = !listbox.hidden;
    const count = listbox.children.length;
    if (event.key === "ArrowDown" && open) {
      activate((active + 1) % count);
    } else if (event.key === "ArrowDown" && searchable(input.value.trim())) {
      suggest(input.value.trim());
    } else if (event.key === "ArrowUp" && open) {
      activate(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      choose(active);
    } else if (event.key === "Escape" && open) {
      cancel();
      close();
    } else if (event.key === "Escape" && input.value !== "") {
      input.value = "";
      value.value = "";
    } else {
      return;
    }
    event.preventDefault();
  });

  input.addEventListener("blur", function () {
    cancel();
    close();
  });
  // Keep the focus in the text box when an option is clicked, so the click can choose it.
  listbox.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  listbox.addEventListener("click", function (event) {
    const item = event.target.closest("[role=option]");
    if (item) choose(Array.prototype.indexOf.call(listbox.children, item));
  });
})();
