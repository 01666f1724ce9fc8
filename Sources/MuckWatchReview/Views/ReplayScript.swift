/// The scripts of the officers' reports (issue #21), served as files from the app (`/static/replay.js`,
/// `/static/print.js`): the CSP allows scripts from the app itself only, never inline ones.
enum ReportScripts {
    /// Plays the case's track along its timeline: the truck moves on the map (the offline SVG map,
    /// placed by the projection the drawing carries in its data-* attributes, or the Leaflet basemap),
    /// the timeline's events appear as their time passes and the newest is shown by the controls.
    static let replay = #"""
        (function () {
          "use strict";
          var box = document.getElementById("replay");
          if (!box) return;
          var play = document.getElementById("replay-play"), speed = document.getElementById("replay-speed"),
              pos = document.getElementById("replay-pos"), clock = document.getElementById("replay-clock"),
              ticker = document.getElementById("replay-event");
          var SVGNS = "http://www.w3.org/2000/svg";

          function svgLayer(data) {
            var svg = document.getElementById("case-map");
            if (!svg) return null;
            var kx = +svg.dataset.kx, x0 = +svg.dataset.x0, y0 = +svg.dataset.y0, scale = +svg.dataset.scale;
            function xy(p) { return [(p.lon * kx - x0) * scale, (y0 - p.lat) * scale]; }
            function add(tag, attributes) {
              var el = document.createElementNS(SVGNS, tag);
              Object.keys(attributes).forEach(function (k) { el.setAttribute(k, attributes[k]); });
              return svg.appendChild(el);
            }
            var trail = add("polyline", { id: "replay-trail", fill: "none", stroke: "#f08c00", "stroke-width": "5",
                                          "stroke-opacity": "0.55", "stroke-linejoin": "round" });
            var truck = add("circle", { id: "replay-truck", r: "7", fill: "#f08c00", stroke: "#1f2933", "stroke-width": "2" });
            return {
              move: function (p, upto) {
                var c = xy(p);
                truck.setAttribute("cx", c[0].toFixed(1));
                truck.setAttribute("cy", c[1].toFixed(1));
                trail.setAttribute("points", upto.map(function (q) { return xy(q).map(function (v) { return v.toFixed(1); }).join(","); }).join(" ")
                  + " " + c[0].toFixed(1) + "," + c[1].toFixed(1));
              },
              reveal: function () {}
            };
          }

          function leafletLayer(data) {
            var el = document.getElementById("basemap");
            if (!el || typeof L === "undefined") return null;
            // Canvas, not SVG: the app's stylesheet sizes every SVG in the map section as its drawing.
            var map = L.map(el, { zoomControl: true, preferCanvas: true });
            L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
            var all = data.points.map(function (p) { return [p.lat, p.lon]; });
            if (all.length) {
              L.polyline(all, { color: "#1971c2", weight: 3, opacity: 0.7 }).addTo(map);
              map.fitBounds(L.latLngBounds(all).pad(0.1));
            } else {
              map.setView([30.8, 108.4], 12);
            }
            var marks = data.violations.map(function (v) {
              var m = L.circleMarker([v.lat, v.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#c92a2a", fillOpacity: 1 })
                .bindTooltip(v.title).addTo(map);
              return { t: v.t, mark: m };
            });
            var trail = L.polyline([], { color: "#f08c00", weight: 6, opacity: 0.6 }).addTo(map);
            var truck = L.circleMarker(all[0] || [0, 0], { radius: 8, color: "#1f2933", weight: 2, fillColor: "#f08c00", fillOpacity: 1 }).addTo(map);
            el.classList.add("basemap-ready");
            return {
              move: function (p, upto) {
                truck.setLatLng([p.lat, p.lon]);
                trail.setLatLngs(upto.map(function (q) { return [q.lat, q.lon]; }).concat([[p.lat, p.lon]]));
              },
              reveal: function (t) {
                marks.forEach(function (m) { m.mark.setStyle({ fillOpacity: m.t <= t ? 1 : 0.15, opacity: m.t <= t ? 1 : 0.15 }); });
              }
            };
          }

          function localTime(t, offset) { return new Date((t + offset) * 1000).toISOString().substr(11, 8); }

          function start(data) {
            var layer = leafletLayer(data) || svgLayer(data);
            var pts = data.points, items = Array.prototype.slice.call(document.querySelectorAll("#timeline li[data-at]"));
            if (!pts.length || !layer) {
              clock.textContent = "no track to replay";
              play.disabled = true;
              return;
            }
            var t0 = pts[0].t, t1 = pts[pts.length - 1].t;
            data.events.forEach(function (e) { t0 = Math.min(t0, e.t); t1 = Math.max(t1, e.t); });
            var t = t0, playing = false, last = 0, i = 0;
            box.dataset.start = t0;
            box.dataset.end = t1;

            function at(t) {
              while (i > 0 && pts[i].t > t) i--;
              while (i + 1 < pts.length && pts[i + 1].t <= t) i++;
              var a = pts[i], b = pts[Math.min(i + 1, pts.length - 1)];
              if (t <= a.t || b.t === a.t) return a;
              var f = Math.min(1, (t - a.t) / (b.t - a.t));
              return { t: t, lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f, loaded: a.loaded };
            }

            function render() {
              var p = at(t);
              layer.move(p, pts.slice(0, i + 1));
              layer.reveal(t);
              var latest = null;
              items.forEach(function (li) {
                var passed = +li.dataset.at <= t;
                li.classList.toggle("replay-future", !passed);
                li.classList.remove("replay-now");
                if (passed) latest = li;
              });
              if (latest) latest.classList.add("replay-now");
              var shown = data.events.filter(function (e) { return e.t <= t; });
              ticker.textContent = shown.length ? shown[shown.length - 1].time + " " + shown[shown.length - 1].text : "";
              clock.textContent = localTime(Math.floor(t), data.utcOffset);
              box.dataset.t = Math.floor(t);
              box.dataset.shown = shown.length;
              pos.value = Math.round((t - t0) / Math.max(1, t1 - t0) * 1000);
            }

            function frame(now) {
              if (!playing) return;
              if (last) t = Math.min(t1, t + (now - last) / 1000 * +speed.value);
              last = now;
              render();
              if (t >= t1) { stop(); return; }
              requestAnimationFrame(frame);
            }

            function stop() { playing = false; play.textContent = "▶ Replay 回放"; box.classList.remove("playing"); }

            play.addEventListener("click", function () {
              if (playing) { stop(); return; }
              if (t >= t1) t = t0;
              playing = true;
              last = 0;
              box.classList.add("playing", "replaying");
              play.textContent = "❚❚ Pause 暂停";
              requestAnimationFrame(frame);
            });
            pos.addEventListener("input", function () {
              t = t0 + (t1 - t0) * (+pos.value / 1000);
              box.classList.add("replaying");
              render();
            });
            render();
            items.forEach(function (li) { li.classList.remove("replay-future", "replay-now"); });
            box.classList.add("ready");
          }

          fetch(box.dataset.src, { credentials: "same-origin" })
            .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
            .then(start)
            .catch(function (e) { clock.textContent = "replay unavailable (" + e.message + ")"; });
        })();
        """#

    /// The print page's Print button.
    static let print = #"""
        (function () {
          "use strict";
          var b = document.getElementById("print-now");
          if (b) b.addEventListener("click", function () { window.print(); });
        })();
        """#
}
