// Who is in the chat room (the members list and the "online" line) and who is typing.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext, interpolate = R.interpolate;
  var state = R.state, typingEl = R.typingEl;
  var lastTypingSent = 0;
  var typingTimer = null;

  R.onPresence = function (online) {
    var ids = new Set(online.map(function (p) { return p.id; }));
    if (state.typingUserId !== null && !ids.has(state.typingUserId)) R.stoppedTyping();
    document.querySelectorAll("#room-members li").forEach(function (li) {
      var on = ids.has(parseInt(li.dataset.userId, 10));
      li.classList.toggle("online", on);
      li.querySelector(".presence-label").textContent = on ? " " + gettext("(online)") : "";
    });
    document.getElementById("room-online").textContent =
      online.length ? online.map(function (p) { return p.name; }).join(gettext(", "))
        : gettext("nobody");
  };

  R.onTyping = function (user) {
    if (user.id === R.userId) return;
    typingEl.textContent = interpolate(gettext("%(name)s is typing…"), { name: user.name }, true);
    state.typingUserId = user.id;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(R.stoppedTyping, 3000);
  };

  // The line goes once its writer's message is shown or the writer leaves, not 3 s later.
  R.stoppedTyping = function () {
    clearTimeout(typingTimer);
    typingEl.textContent = "";
    state.typingUserId = null;
  };

  // The composer's input: the room hears "typing" at most every 2 s.
  R.announceTyping = function () {
    var now = Date.now();
    if (now - lastTypingSent > 2000 && R.send({ type: "typing" })) lastTypingSent = now;
  };
})(window.JumelageRoom);
