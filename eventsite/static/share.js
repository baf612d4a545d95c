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
  // Mastodon: straight to the person's server (without JavaScript, the form's page links
  // there; the CSP's form-action keeps a form from being redirected to another site).
  var forms = document.querySelectorAll("form.mastodon-share");
  for (var k = 0; k < forms.length; k++) {
    forms[k].addEventListener("submit", function (event) {
      var typed = this.elements.server.value.trim().toLowerCase();
      if (typed.indexOf("://") >= 0) typed = typed.split("://")[1].split("/")[0];
      typed = typed.split("@").pop().replace(/\/+$/, "");
      if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(typed)) return;
      event.preventDefault();
      window.location.href = "https://" + typed + "/share?text=" +
        encodeURIComponent(this.elements.text.value);
    });
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
