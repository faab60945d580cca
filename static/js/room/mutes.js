// The chat room's mute: the composer shut while a teacher has muted this member.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext, pgettext = R.pgettext, interpolate = R.interpolate;
  var composer = R.composer, mutedEl = R.mutedEl, PUPIL = R.PUPIL;
  var mutedTimer = null;  // lifts a mute on the page when its end comes

  // A teacher muted this member (member.muted, or room.joined's muted_until): the
  // composer is disabled, with the reason and its end, until the mute ends or is lifted.
  // What was typed stays in the box.
  var dated = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: R.root.dataset.tz || undefined,
  });
  R.setMuted = function setMuted(until, why) {
    if (!composer || !mutedEl) return;
    clearTimeout(mutedTimer);
    var end = until ? new Date(until) : null;
    var muted = !!end && end.getTime() > Date.now();
    var wasMuted = composer.classList.contains("muted");
    composer.classList.toggle("muted", muted);
    composer.querySelectorAll("textarea, button, select").forEach(function (el) { el.disabled = muted; });
    // Nor can a muted member correct others' messages (room.css hides "Correct").
    R.list.classList.toggle("writer-muted", muted);
    if (muted) {
      var sameDay = new Date().toDateString() === end.toDateString();
      var time = (sameDay ? R.clock : dated).format(end);
      mutedEl.textContent = interpolate(PUPIL
        ? pgettext("to a pupil", "A teacher muted you until %(time)s: you can read the room but not write in it.")
        : gettext("A teacher muted you until %(time)s: you can read the room but not write in it."),
        { time: time }, true);
      mutedEl.hidden = false;
      mutedTimer = setTimeout(function () { setMuted(null, "ended"); },
                              Math.min(end.getTime() - Date.now() + 500, 2147483647));
    } else if (wasMuted) {
      mutedEl.textContent = why === "ended"
        ? (PUPIL ? pgettext("to a pupil", "Your mute is over: you can write again.")
          : gettext("Your mute is over: you can write again."))
        : (PUPIL ? pgettext("to a pupil", "A teacher lifted your mute: you can write again.")
          : gettext("A teacher lifted your mute: you can write again."));
      mutedEl.hidden = false;
    }
  };
})(window.JumelageRoom);
