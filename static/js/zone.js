// Tell the server the browser's time zone, so that pages show times in it for people
// without a profile zone (the server ignores a name it does not know).
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var current = document.cookie.split("; ").filter(function (c) {
    return c.indexOf("jumelage_tz=") === 0;
  })[0];
  if (current === "jumelage_tz=" + zone) return;
  document.cookie = "jumelage_tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
})();
