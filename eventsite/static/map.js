/* Progressive enhancement: a Leaflet map of the events listed on the page.
 * Markers come from data-lat/data-lng/data-title/data-url on the list items (or on the
 * map itself on an event page). Leaflet (~45 KB compressed) and the tiles load only when
 * the person taps "Show map", so the list is never slowed or broken by it and no other
 * host hears of the visit before then. */
(function () {
  "use strict";
  var container = document.querySelector("[data-map]");
  if (!container || !document.querySelectorAll) return;

  function places() {
    var found = [];
    var items = document.querySelectorAll("[data-lat][data-lng][data-title]");
    for (var i = 0; i < items.length; i++) {
      var lat = parseFloat(items[i].getAttribute("data-lat"));
      var lng = parseFloat(items[i].getAttribute("data-lng"));
      if (isFinite(lat) && isFinite(lng)) {
        found.push({
          lat: lat,
          lng: lng,
          title: items[i].getAttribute("data-title"),
          url: items[i].getAttribute("data-url")
        });
      }
    }
    return found;
  }

  function load(tag, attributes, done) {
    var element = document.createElement(tag);
    for (var name in attributes) element.setAttribute(name, attributes[name]);
    if (done) element.addEventListener("load", done);
    document.head.appendChild(element);
  }

  function popup(place) {
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.title; // text, never HTML: titles come from hosts
    return link;
  }

  function draw(markers) {
    var L = window.L;
    // Leaflet's default marker has a shadow image with no high-density version; without
    // it the marker stays sharp on phone screens and the page makes one request fewer.
    var icon = L.icon({
      iconUrl: container.getAttribute("data-marker-icon"),
      iconRetinaUrl: container.getAttribute("data-marker-icon-2x"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34]
    });
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(container.getAttribute("data-tile-url"), {
      attribution: container.getAttribute("data-attribution"),
      maxZoom: 18
    }).addTo(map);
    var points = [];
    markers.forEach(function (place) {
      var point = [place.lat, place.lng];
      points.push(point);
      var marker = L.marker(point, { icon: icon, title: place.title, alt: place.title }).addTo(map);
      if (place.url) marker.bindPopup(popup(place));
    });
    if (points.length === 1) map.setView(points[0], 14);
    else map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
    drawn = map;
  }

  function start() {
    var markers = places();
    load("link", { rel: "stylesheet", href: container.getAttribute("data-leaflet-css") });
    load("script", { src: container.getAttribute("data-leaflet-js") }, function () {
      draw(markers);
    });
  }

  var panel = container.closest("[data-map-panel]") || container;
  var button = panel.querySelector("[data-map-show]");
  var close = panel.querySelector("[data-map-close]");
  var drawn = null;
  if (!places().length) {
    panel.hidden = true;
    return;
  }
  // Tiles come from another host, which learns from each request what was looked at:
  // nothing is loaded from it until the person asks for the map.
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", "true");
    button.parentNode.hidden = true;
    container.hidden = false;
    if (close) {
      // A list's map covers the screen; the list is one tap away.
      panel.classList.add("map-open");
      close.hidden = false;
    }
    if (drawn) drawn.invalidateSize();
    else start();
    // The button is gone: keep the keyboard's place on the map that replaced it.
    container.tabIndex = -1;
    container.focus();
  });
  if (close) {
    close.addEventListener("click", function () {
      panel.classList.remove("map-open");
      close.hidden = true;
      container.hidden = true;
      button.parentNode.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.focus();
    });
  }
})();
