// Profile page: filter the city list as you type, and add formset rows.
(function () {
  "use strict";
  document.querySelectorAll("[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    // Enter here means "search", not "save": the filter has just picked a city.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
        if (match && option.value && !firstMatch) firstMatch = option;
      });
      if (needle && firstMatch) select.value = firstMatch.value;
    });
  });

  document.querySelectorAll("[data-add-form]").forEach(function (button) {
    var prefix = button.dataset.addForm;
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    button.addEventListener("click", function () {
      var rows = container.querySelectorAll(".formset-row");
      var template = rows[rows.length - 1];
      var index = parseInt(total.value, 10);
      var clone = template.cloneNode(true);
      var pattern = new RegExp(prefix + "-\\d+-", "g");
      clone.querySelectorAll("input, select, label, small, p").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, prefix + "-" + index + "-"));
        });
        if (el.classList.contains("error")) el.remove();
        if (el.tagName === "INPUT" && el.type !== "checkbox") el.value = "";
        if (el.tagName === "INPUT" && el.type === "checkbox") el.checked = false;
        // A row the page came back with keeps its choices as "selected" attributes,
        // which a clone copies: the new row starts blank, as the page's blank row does.
        if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (option) {
            option.removeAttribute("selected");
          });
          el.selectedIndex = 0;
        }
      });
      clone.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
      container.appendChild(clone);
      total.value = index + 1;
    });
  });
})();
