// "Leave this site": replace this page with a neutral one, so that Back does not return here.
// Works by click or tap on the button, and by pressing Shift three times on its own, as GOV.UK's
// "Exit this page" does (Shift used with another key, as in Shift+Tab or a capital letter, does not
// count). Never Escape: people press it while typing or with a list open, and would lose their page.
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
  var shiftAlone = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) shiftAlone = true;
    } else {
      // Another key: Shift is being used for something else (moving back with Shift+Tab, typing).
      shiftAlone = false;
      shiftTimes = [];
    }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) return;
    shiftAlone = false;
    var now = Date.now();
    shiftTimes = shiftTimes.filter(function (t) { return now - t < 2000; });
    shiftTimes.push(now);
    if (shiftTimes.length >= 3) leave(event);
  });
})();
