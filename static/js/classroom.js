// Class form: say which consent age applies to the chosen city's country, and for
// which pupils, as the teacher picks the city and the youngest age.
(function () {
  "use strict";
  var city = document.getElementById("id_city");
  var ageMin = document.getElementById("id_age_min");
  var note = document.getElementById("consent-note");
  if (!city || !note) return;
  function update() {
    var option = city.options[city.selectedIndex];
    var country = option ? option.getAttribute("data-country") : null;
    document.querySelectorAll("tr[data-country]").forEach(function (row) {
      row.classList.toggle("current", row.getAttribute("data-country") === country);
    });
    if (!country) return;
    var row = document.querySelector('tr[data-country="' + country + '"]');
    var age = row ? parseInt(row.getAttribute("data-age"), 10) : 16;
    var law = row ? row.getAttribute("data-law") : "GDPR Art. 8 default (no rule listed)";
    var youngest = ageMin ? parseInt(ageMin.value, 10) : NaN;
    var text = country + ": pupils under " + age + " need their parents' consent (" + law + ").";
    if (!isNaN(youngest)) {
      text += youngest < age ? " Your class starts at " + youngest + ": the school must hold it."
                             : " Your pupils are " + youngest + " or older.";
    }
    note.textContent = text;
  }
  city.addEventListener("change", update);
  if (ageMin) ageMin.addEventListener("input", update);
  update();
})();
