// Django's admin scripts build two boxes without a name a screen reader can read out
// (axe's aria-prohibited-attr and aria-input-field-name); this names them once they are
// built: the filter boxes by SelectFilter2.js at load, the autocomplete boxes (the
// twinning's cities) by autocomplete.js in a jQuery ready callback.
(function () {
  "use strict";

  // An autocomplete box (select2) and the text in it are named by the choice shown,
  // none when empty: the field's label names both first.
  function nameBoxes() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var label = document.querySelector("label[for='" + select.id + "']");
      var box = select.nextElementSibling &&
        select.nextElementSibling.querySelector(".select2-selection[aria-labelledby]");
      var shown = box && document.getElementById(
        box.getAttribute("aria-labelledby").split(" ").pop());
      if (!label || !shown) return;
      label.id = label.id || select.id + "_label";
      [box, shown].forEach(function (named) {
        named.setAttribute("aria-labelledby", label.id + " " + shown.id);
      });
    });
  }

  window.addEventListener("load", function () {
    // The filter boxes' search icon carries its words in aria-label, which a plain
    // <span> may not: as an image it may, and it names the filter box it labels.
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(
      function (icon) { icon.setAttribute("role", "img"); });
    // jQuery runs ready callbacks from a timer, so load can come before autocomplete.js
    // has built its boxes; a callback added now runs after the one that builds them.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(function () { nameBoxes(); });
    } else {
      nameBoxes();
    }
  });
})();
