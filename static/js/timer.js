// The room's language timer: counts down locally from the server's figure
// (data-seconds-left) and re-syncs from the server when a phase ends. htmx also
// re-fetches the fragment every 30 s, replacing the element (and this count).
(function () {
  if (window.jumelageTimer) { window.jumelageTimer.scan(document); return; }
  // Django's JavaScript catalogue (djangojs, /jsi18n/) when the page loads it; English otherwise.
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  };
  // Without Intl.RelativeTimeFormat (old browsers): the catalogue's words.
  var FALLBACK = {
    day: function (n) { return ngettext("in %(count)s day", "in %(count)s days", n); },
    hour: function (n) { return ngettext("in %(count)s hour", "in %(count)s hours", n); },
    minute: function (n) { return ngettext("in %(count)s minute", "in %(count)s minutes", n); },
  };

  function fmt(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  // "in 4 days", "in 39 minutes": a countdown in hours is unreadable past an hour or so.
  function fmtRelative(seconds) {
    var lang = document.documentElement.lang || "en";
    var rtf = window.Intl && Intl.RelativeTimeFormat
      ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
    var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
    for (var i = 0; i < units.length; i++) {
      var size = units[i][1];
      // Two hours and more count in hours, two days and more in days.
      if (seconds >= 2 * size || units[i][0] === "minute") {
        var n = Math.max(1, Math.round(seconds / size));
        if (rtf) return rtf.format(n, units[i][0]);
        return interpolate(FALLBACK[units[i][0]](n), { count: n }, true);
      }
    }
    return "";
  }

  function resync(el) {
    var box = el.closest("#session-timer");
    var url = box && box.getAttribute("hx-get");
    if (url && window.htmx) window.htmx.ajax("GET", url, { target: box, swap: "innerHTML" });
  }

  function start(el) {
    if (el.dataset.timerStarted) return;
    el.dataset.timerStarted = "1";
    var total = parseInt(el.dataset.secondsLeft || "0", 10), t0 = Date.now();
    var out = el.querySelector("[data-countdown]");
    if (!out) return;
    function tick() {
      if (!el.isConnected) { clearInterval(timer); return; }
      var left = Math.max(0, total - Math.floor((Date.now() - t0) / 1000));
      out.textContent = out.hasAttribute("data-relative") ? fmtRelative(left) : fmt(left);
      if (left === 0) { clearInterval(timer); setTimeout(function () { resync(el); }, 1500); }
    }
    var timer = setInterval(tick, 1000);
    tick();
  }

  function scan(root) {
    (root || document).querySelectorAll("[data-timer]").forEach(start);
  }

  window.jumelageTimer = { scan: scan };
  document.addEventListener("htmx:afterSwap", function (e) { scan(e.target); });
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
})();
