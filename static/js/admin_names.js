// Django's admin scripts build two boxes without a name a screen reader can read out
// (axe's aria-prohibited-attr and aria-input-field-name); this names them once the page
// has loaded, after SelectFilter2.js and the autocomplete have built them.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    // The filter boxes' search icon carries its words in aria-label, which a plain
    // <span> may not: as an image it may, and it names the filter box it labels.
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(
      function (icon) { icon.setAttribute("role", "img"); });
    // An autocomplete box (select2) and the text in it are named by the choice shown,
    // none when empty: the field's label names both first.
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var label = document.querySelector("label[for='" + select.id + "']");
      var box = select.nextElementSibling &&
        select.nextElementSibling.querySelector(".select2-selection[aria-labelledby]");
      var shown = box && document.getElementById(box.getAttribute("aria-labelledby"));
      if (!label || !shown) return;
      label.id = label.id || select.id + "_label";
      [box, shown].forEach(function (named) {
        named.setAttribute("aria-labelledby", label.id + " " + shown.id);
      });
    });
  });
})();
