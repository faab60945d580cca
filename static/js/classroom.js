// Class form: say which consent age applies to the chosen city's country, and for
// which pupils, as the teacher picks the city and the youngest age.
(function () {
  "use strict";
  // Django's JavaScript catalogue (djangojs) when the page loads it; English otherwise.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  };
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
    var law = row ? row.getAttribute("data-law") : gettext("GDPR Art. 8 default (no rule listed)");
    var youngest = ageMin ? parseInt(ageMin.value, 10) : NaN;
    // The country's name as the table shows it, in the page's language.
    var name = row ? row.getAttribute("data-name") : country;
    var text = interpolate(gettext("%(country)s: pupils under %(age)s need their parents' consent (%(law)s)."),
                           {country: name, age: age, law: law}, true);
    if (!isNaN(youngest)) {
      text += " " + interpolate(
        youngest < age ? gettext("Your class starts at %(age)s: the school must hold it.")
                       : gettext("Your pupils are %(age)s or older."),
        {age: youngest}, true);
    }
    note.textContent = text;
  }
  city.addEventListener("change", update);
  if (ageMin) ageMin.addEventListener("input", update);
  update();
})();
