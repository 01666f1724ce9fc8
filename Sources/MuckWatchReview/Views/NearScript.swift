/// `/static/near.js` (issue #26): on My cases, once the officer taps "Distance from here", asks
/// the browser for the phone's position and writes each card's great-circle distance to its dump
/// point, nearest first. Served by the app (the CSP allows scripts from it alone, none inline);
/// without it, or when the position is refused, the page is the same list, oldest first.
/// Browsers share the position only over HTTPS or on localhost.
enum NearScript {
    static let js = """
        (function () {
          "use strict";
          var button = document.getElementById("near"), status = document.getElementById("near-status");
          var list = document.getElementById("my-cases");
          if (!button || !list || !("geolocation" in navigator)) { return; }
          button.hidden = false;
          function metres(lat1, lon1, lat2, lon2) {
            var r = 6371008.8, rad = Math.PI / 180;
            var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
            var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
              Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
            return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
          }
          function show(pos) {
            var lat = pos.coords.latitude, lon = pos.coords.longitude;
            var cards = Array.prototype.slice.call(list.querySelectorAll("li.card[data-lat]"));
            cards.forEach(function (card) {
              var la = parseFloat(card.getAttribute("data-lat")), lo = parseFloat(card.getAttribute("data-lon"));
              var out = card.querySelector(".distance");
              if (isNaN(la) || isNaN(lo) || !out) { card.setAttribute("data-distance", "Infinity"); return; }
              var m = metres(lat, lon, la, lo);
              card.setAttribute("data-distance", String(m));
              out.textContent = m < 1000 ? "· " + Math.round(m) + " m" : "· " + (m / 1000).toFixed(1) + " km";
            });
            cards.sort(function (a, b) {
              return parseFloat(a.getAttribute("data-distance")) - parseFloat(b.getAttribute("data-distance"));
            }).forEach(function (card) { list.appendChild(card); });
            status.textContent = "nearest first (±" + Math.round(pos.coords.accuracy) + " m)";
          }
          button.addEventListener("click", function () {
            status.textContent = "locating…";
            navigator.geolocation.getCurrentPosition(show, function (err) {
              status.textContent = "position not shared (" + err.message + "): oldest first";
            }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
          });
        })();
        """
}
