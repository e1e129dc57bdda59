// "Leave this site": replace this page with a neutral one, so that Back does not return here.
// Works by click or tap on the button, by the Escape key, and by pressing Shift three times.
(function () {
  "use strict";
  var button = document.querySelector("[data-exit-url]");
  if (!button) return;
  var target = button.getAttribute("data-exit-url");

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    window.location.replace(target);
  }

  button.addEventListener("click", leave);

  var shiftTimes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      leave(event);
    } else if (event.key === "Shift" && !event.repeat) {
      var now = Date.now();
      shiftTimes = shiftTimes.filter(function (t) { return now - t < 1500; });
      shiftTimes.push(now);
      if (shiftTimes.length >= 3) leave(event);
    }
  });
})();
