/* A form came back with mistakes: move the focus to the list of them at the form's top,
 * so a screen reader reads it and the next tab reaches the first link to a field. The
 * page already opened scrolled there (the form's action ends in its section's anchor);
 * that scroll moves the focus too, once the page has loaded, so this runs after it. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus({ preventScroll: !!location.hash });
  }
  if (document.readyState === "complete") focusSummary();
  else window.addEventListener("load", function () { setTimeout(focusSummary, 0); });
})();
