/* Progressive enhancement: a "Copy link" button beside the plain link field, and the
   phone's own share sheet (Web Share API) where the browser has one. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy") + "-status");
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(
          function () { if (status) status.textContent = button.getAttribute("data-copied"); },
          function () { field.select(); }
        );
      });
    })(buttons[i]);
  }
  if (!navigator.share) return;
  var sharers = document.querySelectorAll("[data-web-share]");
  for (var j = 0; j < sharers.length; j++) {
    (function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          text: button.getAttribute("data-share-text"),
          url: button.getAttribute("data-share-url")
        }).catch(function () { /* the person closed the sheet */ });
      });
    })(sharers[j]);
  }
})();
