/* Progressive enhancement: "Use my location" searches by the browser's position.
 * Without JavaScript nojs.css hides the button; without geolocation this does; the zip
 * search always works. */
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button) return;
  if (!("geolocation" in navigator)) {
    button.hidden = true;
    return;
  }
  var form = button.form || document.querySelector("form.search");
  var status = document.querySelector("[data-locate-status]");

  function say(message) {
    if (status) status.textContent = message;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(button.getAttribute("data-finding"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var query = new URLSearchParams();
        query.set("lat", position.coords.latitude.toFixed(5));
        query.set("lng", position.coords.longitude.toFixed(5));
        var radius = form && form.elements.radius;
        if (radius && radius.value) query.set("radius", radius.value);
        // Where the visitor came from (UTM tags, a referral code) goes on with them.
        var carried = form ? form.querySelectorAll("input[type=hidden]") : [];
        for (var i = 0; i < carried.length; i++) query.set(carried[i].name, carried[i].value);
        window.location.assign(form.getAttribute("action") + "?" + query.toString());
      },
      function (error) {
        button.disabled = false;
        if (error.code === error.PERMISSION_DENIED) say(button.getAttribute("data-denied"));
        else if (error.code === error.TIMEOUT) say(button.getAttribute("data-timeout"));
        else say(button.getAttribute("data-unavailable"));
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
