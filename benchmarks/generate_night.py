#!/usr/bin/env python3
"""generate_night.py -- deterministic generator of muck-truck nights in MuckWatch's input formats.

    generate_night.py --seed N --out DIR [--trucks T | --fixes TARGET] [--interval-s 30]
                      [--night 2026-11-20] [--format csv|jsonl] [--no-manifests]

Writes into DIR: geofences/{sites,routes,zones,checkpoints}.geojson, traces.csv (or
traces.jsonl), cameras.jsonl, permits.json, vehicles.csv, manifests.jsonl and
gate_events.jsonl (contract v2; left out with --no-manifests), manifest.json (the analyze
command line) and truth.json (trips, violations, decoys, rejects, counts).

A small city near Wanzhou (108.4E 30.8N): construction sites (some with a hole, some
MultiPolygon), disposal sites, route corridors from sources to disposal sites (some
MultiLineString), restricted zones (one on a route, banned by day with a night speed
limit) and checkpoints on the routes. Trucks start at depots, load in 6-11 min dwells,
drive their permit's corridor, unload (tipper raised 1-3 min), come back, and park.
Each truck gets at most one injected violation, unambiguous by construction, and
some get decoys (situations that must not become violations). Manifests and gate
passes follow every trip, with faults and decoys of their own (class Paperwork). The
same seed gives byte-identical output. Standard library only. See docs/generator.md.
"""
import argparse
import bisect
import heapq
import json
import math
import os
import random
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=8))
LON0, LAT0 = 108.40, 30.80
MX = 111_320.0 * math.cos(math.radians(LAT0))   # metres per degree of longitude
MY = 110_574.0                                    # metres per degree of latitude


def ll(x, y):
    return (round(LON0 + x / MX, 6), round(LAT0 + y / MY, 6))


def iso(t):
    return datetime.fromtimestamp(int(t), TZ).isoformat()


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def seg_dist(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    l2 = dx * dx + dy * dy
    t = 0 if l2 == 0 else max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2))
    return math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1])


def poly_dist(p, line):
    return min(seg_dist(p, line[i], line[i + 1]) for i in range(len(line) - 1))


def along(line, s):
    """Point at arc length s along a polyline."""
    for i in range(len(line) - 1):
        d = dist(line[i], line[i + 1])
        if s <= d or i == len(line) - 2:
            f = 0 if d == 0 else min(1, s / d)
            return (line[i][0] + f * (line[i + 1][0] - line[i][0]), line[i][1] + f * (line[i + 1][1] - line[i][1]))
        s -= d
    return line[-1]


def sub(line, s0, s1):
    """The part of a polyline between arc lengths s0 and s1 (reversed when s1 < s0)."""
    if s1 < s0:
        return sub(line, s1, s0)[::-1]
    out, acc = [along(line, s0)], 0.0
    for i in range(len(line) - 1):
        acc += dist(line[i], line[i + 1])
        if s0 < acc < s1:
            out.append(line[i + 1])
    out.append(along(line, s1))
    return out


def roadside(line, s, offset):
    """A point `offset` metres beside the polyline at arc length s."""
    p, q = along(line, s), along(line, s + 5)
    dx, dy = q[0] - p[0], q[1] - p[1]
    n = math.hypot(dx, dy) or 1
    return (p[0] - dy / n * offset, p[1] + dx / n * offset)


def length(line):
    return sum(dist(line[i], line[i + 1]) for i in range(len(line) - 1))


class City:
    """Fences in local metres (x east, y north of 108.40E 30.80N)."""

    def __init__(self, rng, n_sources, n_disposals):
        self.sources, self.disposals = [], []
        taken = []

        def place(r_min, r_max, gap):
            while True:
                a, r = rng.uniform(0, 2 * math.pi), rng.uniform(r_min, r_max)
                p = (r * math.cos(a), r * math.sin(a) * 0.8)
                if all(dist(p, q) > gap for q in taken):
                    taken.append(p)
                    return p

        for i in range(n_sources):
            c = place(1500, 9000, 1500)
            half = rng.uniform(90, 150)
            self.sources.append({"id": "S-%02d" % (i + 1), "c": c, "half": half,
                                 "hole": i % 4 == 1, "multi": i % 5 == 3})
        for j in range(n_disposals):
            c = place(7000, 11000, 2500)
            self.disposals.append({"id": "D-%02d" % (j + 1), "c": c, "half": rng.uniform(160, 240)})
        self.routes = {}
        self.checkpoints = []
        self.zones = []
        self.rng = rng

    def route(self, s, d):
        key = (s["id"], d["id"])
        if key not in self.routes:
            a, b = s["c"], d["c"]
            elbow = (a[0], b[1]) if self.rng.random() < 0.5 else (b[0], a[1])
            mid = ((a[0] + elbow[0]) / 2, (a[1] + elbow[1]) / 2)
            line = [a, mid, elbow, b] if dist(a, elbow) > 50 and dist(elbow, b) > 50 else [a, b]
            rid = "R-%02d" % (len(self.routes) + 1)
            self.routes[key] = {"id": rid, "line": line, "corridor": self.rng.choice([50, 60, 80, 100]),
                                "multi": len(self.routes) % 3 == 2}
        return self.routes[key]

    def finish(self, rng):
        """Checkpoints on the routes, zones away from them (and one on a route)."""
        for k, r in enumerate(self.routes.values()):
            p = along(r["line"], length(r["line"]) * rng.uniform(0.3, 0.6))
            self.checkpoints.append({"id": "KK-%02d" % (k + 1), "c": p, "radius": 100})
        lines = [r["line"] for r in self.routes.values()]
        anchors = [s["c"] for s in self.sources] + [d["c"] for d in self.disposals]
        hours = [None, ["21:00-23:00", "05:00-07:00"], ["22:00-02:00"]]
        for z in range(3):
            for _ in range(2000):
                c = (rng.uniform(-12000, 12000), rng.uniform(-9000, 9000))
                if all(poly_dist(c, l) > 2500 for l in lines) and all(dist(c, a) > 3000 for a in anchors) \
                        and all(dist(c, q["c"]) > 2500 for q in self.zones):
                    self.zones.append({"id": "Z-%02d" % (z + 1), "c": c, "half": 350, "hours": hours[z],
                                       "limit": 30 if z == 0 else None, "on_route": False})
                    break
        # A school zone on the busiest route: banned 07:00-09:00, 30 km/h at all hours.
        r = list(self.routes.values())[0]
        c = along(r["line"], length(r["line"]) * 0.75)
        self.zones.append({"id": "Z-%02d" % (len(self.zones) + 1), "c": c, "half": 200, "hours": ["07:00-09:00"],
                           "limit": 30, "on_route": True})

    def clear_of_sites(self, p, margin=80):
        """Whether p is at least `margin` metres outside every site, each part taken as its
        circumscribed circle (a roadside stop meant to be off-site must not fall in one)."""
        parts = [(s["c"], s["half"]) for s in self.sources] + [(d["c"], d["half"]) for d in self.disposals]
        parts += [((s["c"][0] - s["half"] * 3, s["c"][1] + s["half"] * 3), s["half"] * 0.6)
                  for s in self.sources if s["multi"]]
        return all(dist(p, c) > h * math.sqrt(2) + margin for c, h in parts)

    def zone_at(self, p):
        for z in self.zones:
            if abs(p[0] - z["c"][0]) <= z["half"] and abs(p[1] - z["c"][1]) <= z["half"]:
                return z
        return None

    def geojson(self, facilities=None):
        """facilities (disposal id -> kind) adds contract v2's `facility`; None keeps the v1 fences."""
        def sq(c, h, rot=0.0):
            pts = []
            for k in range(4):
                a = rot + math.pi / 4 + k * math.pi / 2
                pts.append(ll(c[0] + h * math.sqrt(2) * math.cos(a), c[1] + h * math.sqrt(2) * math.sin(a)))
            return pts + [pts[0]]

        def feat(props, geom):
            return {"type": "Feature", "properties": props, "geometry": geom}

        sites = []
        for i, s in enumerate(self.sources):
            outer = sq(s["c"], s["half"], 0.2 * i)
            if i % 2:
                outer = outer[::-1]
            rings = [outer]
            if s["hole"]:
                # An enclave in the middle-east part of the site (never where trucks load).
                hc = (s["c"][0] + s["half"] * 0.55, s["c"][1])
                rings.append(sq(hc, s["half"] * 0.3, 0.2 * i))
            props = {"id": s["id"], "name": "出土工地%d" % (i + 1), "kind": "construction_site"}
            if s["multi"]:
                far = (s["c"][0] - s["half"] * 3, s["c"][1] + s["half"] * 3)
                sites.append(feat(props, {"type": "MultiPolygon", "coordinates": [rings, [sq(far, s["half"] * 0.6)]]}))
            else:
                sites.append(feat(props, {"type": "Polygon", "coordinates": rings}))
        for j, d in enumerate(self.disposals):
            props = {"id": d["id"], "name": "消纳场%d" % (j + 1), "kind": "disposal_site", "capacity_t": 200000 + 50000 * j}
            if facilities:
                props["facility"] = facilities[d["id"]]
            sites.append(feat(props,
                              {"type": "Polygon", "coordinates": [sq(d["c"], d["half"], 0.1 * j)]}))
        routes = []
        for r in self.routes.values():
            pts = [ll(*p) for p in r["line"]]
            props = {"id": r["id"], "name": "线路" + r["id"], "kind": "route", "corridor_m": r["corridor"]}
            if r["multi"] and len(pts) >= 3:
                geom = {"type": "MultiLineString", "coordinates": [pts[:2], pts[1:]]}
            else:
                geom = {"type": "LineString", "coordinates": pts}
            routes.append(feat(props, geom))
        zones = []
        for z in self.zones:
            props = {"id": z["id"], "name": "禁行区" + z["id"], "kind": "restricted_zone"}
            if z["hours"]:
                props["hours"] = z["hours"]
            if z["limit"]:
                props["speed_limit_kmh"] = z["limit"]
            zones.append(feat(props, {"type": "Polygon", "coordinates": [sq(z["c"], z["half"])]}))
        cps = [feat({"id": k["id"], "name": "卡口" + k["id"], "kind": "checkpoint", "radius_m": k["radius"]},
                    {"type": "Point", "coordinates": list(ll(*k["c"]))}) for k in self.checkpoints]
        fc = lambda fs: {"type": "FeatureCollection", "features": fs}
        return {"sites.geojson": fc(sites), "routes.geojson": fc(routes), "zones.geojson": fc(zones),
                "checkpoints.geojson": fc(cps)}


class Truck:
    """Drives one truck through the night, producing fixes in time order."""

    def __init__(self, g, k, plate, sensors, rated, depot, permit, violation, decoys):
        self.g, self.k, self.plate, self.sensors, self.rated = g, k, plate, sensors, rated
        self.depot, self.permit, self.violation, self.decoys = depot, permit, violation, decoys
        self.fixes = []          # (t, x, y, speed, heading, lift, lid, load)
        self.t = 0
        self.pos = depot
        self.lift, self.lid, self.load = 0, 1, 0.4
        self.gap = None          # (from_t, to_t): no fixes reported
        self.pending_gap = None
        self.trips = []
        self.loads = []          # tonnes actually carried, trip by trip (truth trips say rated without a load cell)
        self.violations = []
        self.decoy_records = []

    # -- emitting
    def emit(self, x, y, v, heading):
        rng = self.g.rng
        if self.gap and self.gap[0] <= self.t <= self.gap[1]:
            return
        nx, ny = x + rng.gauss(0, 2.5), y + rng.gauss(0, 2.5)
        lift = self.lift if self.sensors in ("full", "lift") else None
        lid = self.lid if self.sensors == "full" else None
        load = round(max(0.0, self.load + rng.gauss(0, 0.12)), 1) if self.sensors == "full" else None
        sp = round(max(0.0, v * 3.6 + (rng.gauss(0, 1.2) if v > 0 else 0)), 1)
        self.fixes.append((int(self.t), nx, ny, sp, int(heading) % 360, lift, lid, load))

    def step(self):
        return self.g.interval * self.g.rng.uniform(0.97, 1.03)

    def stay(self, seconds, at=None, on_fix=None):
        at = at or self.pos
        end = self.t + seconds
        while self.t < end:
            if on_fix:
                on_fix(self.t)
            self.emit(at[0], at[1], 0, 0)
            self.t += self.step()
        self.pos = at

    def drive(self, line, kmh=None, stops=0, fast=None, slow_zone=True, wobble=None):
        """Drive along a polyline. fast = (start_fraction, seconds, kmh) for a speeding burst."""
        rng = self.g.rng
        total = length(line)
        v = (kmh or rng.uniform(28, 45)) / 3.6
        stop_at = sorted(rng.uniform(0.15, 0.85) * total for _ in range(stops))
        s = 0.0
        fast_window = None
        while s < total:
            p = along(line, s)
            q = along(line, min(total, s + 5))
            heading = math.degrees(math.atan2(q[0] - p[0], q[1] - p[1]))
            speed = v
            z = self.g.city.zone_at(p)
            if z and z["limit"] and slow_zone:
                speed = min(speed, rng.uniform(15, 22) / 3.6)
            if fast and fast_window is None and s >= fast[0] * total:
                fast_window = (self.t, self.t + fast[1])
            if fast_window and fast_window[0] <= self.t <= fast_window[1]:
                speed = fast[2] / 3.6
            x, y = p
            if wobble and wobble[0] <= s <= wobble[0] + 60:
                dx, dy = q[0] - p[0], q[1] - p[1]
                n = math.hypot(dx, dy) or 1
                x, y = x - dy / n * wobble[1], y + dx / n * wobble[1]
            self.emit(x, y, speed, heading)
            dt = self.step()
            if stop_at and s >= stop_at[0]:
                stop_at.pop(0)
                d = rng.uniform(20, 90)
                start = self.t
                self.t += dt
                while self.t < start + d:
                    self.emit(p[0], p[1], 0, heading)
                    self.t += self.step()
                continue
            s += speed * dt
            self.t += dt
        self.pos = line[-1]
        return fast_window

    # -- the night
    def run(self, start_t, end_t):
        g, rng = self.g, self.g.rng
        city, permit = g.city, self.permit
        src = next(s for s in city.sources if s["id"] == permit["source_site"])
        dsp = next(d for d in city.disposals if d["id"] == permit["disposal_site"])
        route = city.route(src, next(d for d in city.disposals if d["id"] == permit["route_disposal"]))
        self.t = start_t
        if "parked_gap" in self.decoys:
            self.stay(300)
            self.gap = (self.t, self.t + rng.uniform(20, 30) * 60)
            self.stay(self.gap[1] - self.gap[0] + 120)
            self.decoy("parked_gap", self.gap[0], self.gap[1], self.pos, ["signal_loss"],
                       "no fixes for a while, parked at the depot before the night's work")
            self.gap = None
        else:
            self.stay(rng.uniform(2, 10) * 60)
        first_load = g.hours_start if permit.get("hours") else None
        if first_load and self.violation != "outside_hours":
            # Wait at the depot, not in the site, until the permit's hours are near.
            leave = first_load - 6 * 60 - dist(self.pos, src["c"]) / 9 - rng.uniform(60, 240)
            if self.t < leave:
                self.stay(leave - self.t)
        self.drive([self.pos, src["c"]])
        trip_no = 0
        v = self.violation
        while True:
            trip_no += 1
            # --- loading
            load_start = self.t
            if first_load and self.t + 6 * 60 < first_load and not (v == "outside_hours" and trip_no == 1):
                self.stay(first_load - self.t - 6 * 60 + rng.uniform(0, 120))
                load_start = self.t
            dwell = rng.uniform(6, 11) * 60
            target = self.rated * rng.uniform(0.85, 0.98)
            if v == "overload_sensor":
                target = self.rated * rng.uniform(1.12, 1.2)
            t0, start_load = self.t, self.load
            self.lid = 0

            def loading(t, t0=t0, start_load=start_load):
                f = min(1, (t - t0) / dwell)
                self.load = start_load + (target - start_load) * f
            self.stay(dwell, at=(src["c"][0] + rng.uniform(-15, 15), src["c"][1] + rng.uniform(-15, 15)), on_fix=loading)
            self.load = target          # full when it leaves, however sparse the fixes were
            self.lid = 1
            loaded_at = self.t
            trip = {"vehicle_id": self.plate, "source_site": src["id"], "loaded_at": iso(loaded_at),
                    "permit_id": permit["permit_id"] if permit["valid"] else None,
                    "load_t": round(target if self.sensors == "full" else self.rated, 1),
                    "load_window": [iso(load_start), iso(loaded_at)]}
            trip_index = len(self.g.truth_trips) + len(self.trips)
            self.loads.append(target)
            if not permit["valid"]:
                self.record("no_permit", load_start, loaded_at, src["c"], trip_index, "gps",
                            "loaded at %s without a valid permit" % src["id"])
            line = route["line"]
            # --- the loaded drive, with this trip's injected behaviour
            dumped_off_site = False
            if trip_no == 1 and v == "outside_hours":
                pass  # loaded before the permit's hours: the part before 22:00 is the violation
            if trip_no == 2 and v == "off_route":
                self.drive_off_route(line, route, trip_index)
            elif trip_no == 2 and v in ("illegal_dump_sensor", "illegal_dump_trajectory"):
                total = length(line)
                s_half = total * rng.uniform(0.35, 0.6)
                for _ in range(50):  # the dump must be off-site: not beside a site the route passes
                    if self.g.city.clear_of_sites(roadside(line, s_half, route["corridor"] * 0.3)):
                        break
                    s_half = total * rng.uniform(0.35, 0.6)
                half = along(line, s_half)
                side = roadside(line, s_half, route["corridor"] * 0.3)
                self.drive(sub(line, 0, s_half))
                self.drive([half, side])
                stop = rng.uniform(5, 9) * 60
                t_stop = self.t
                if v == "illegal_dump_sensor":
                    self.stay(60)
                    lift_t = self.t
                    self.lift = 1
                    drop_from = self.load

                    def dumping(t, t1=lift_t, drop_from=drop_from):
                        self.load = max(0.3, drop_from * (1 - (t - t1) / 90))
                    self.stay(rng.uniform(90, 150), on_fix=dumping)
                    self.lift = 0
                    lift_end = self.t
                    self.stay(max(0, stop - (self.t - t_stop)))
                    self.record("illegal_dump", lift_t, lift_end, side, trip_index, "sensor",
                                "tipper raised outside any disposal site")
                    trip.update({"disposal_site": None, "dumped_at": iso(lift_t)})
                else:
                    self.stay(stop)
                    self.record("illegal_dump", t_stop, self.t, side, trip_index, "trajectory",
                                "stopped off-site and loaded again without a disposal visit")
                    trip.update({"disposal_site": None, "dumped_at": iso(t_stop)})
                dx, dy = ll(*side)
                trip.update({"dump_lon": dx, "dump_lat": dy, "unload_window": [iso(t_stop), iso(self.t)]})
                self.load = 0.4
                self.drive([side] + sub(line, s_half, 0))
                dumped_off_site = True
            elif trip_no == 2 and "fuel_stop" in self.decoys:
                total = length(line)
                s_half = total * 0.5
                for k in range(1, 50):  # off-site, as a dump would be (no draw: the night stays as it was)
                    if self.g.city.clear_of_sites(roadside(line, s_half, route["corridor"] * 0.3)):
                        break
                    s_half = total * (0.5 + (0.01 * k if k % 2 else -0.01 * k))
                side = roadside(line, s_half, route["corridor"] * 0.3)
                self.drive(sub(line, 0, s_half))
                self.drive([self.pos, side])
                t_stop = self.t
                self.stay(rng.uniform(10, 15) * 60)
                self.decoy("fuel_stop", t_stop, self.t, side, ["illegal_dump"],
                           "loaded truck stopped off-site (fuel), tipper down, load unchanged")
                self.drive([side] + sub(line, s_half, total))
            else:
                fast = None
                wob = None
                if trip_no == 2 and v == "unsealed_sensor":
                    pass
                if trip_no == 2 and "corridor_wobble" in self.decoys:
                    wob = (length(line) * 0.3, route["corridor"] * 0.35)
                self.drive_loaded(line, trip_index, trip_no, wob)
            if dumped_off_site:
                self.trips.append(trip)
                if self.t > end_t:
                    break
                continue
            # --- unloading at the disposal site
            dc = (dsp["c"][0] + rng.uniform(-20, 20), dsp["c"][1] + rng.uniform(-20, 20))
            if dsp is not None and route["line"][-1] != dsp["c"]:
                self.drive([self.pos, dc])
            arrive = self.t
            self.stay(rng.uniform(60, 150), at=dc)
            lift_t = self.t
            if self.sensors in ("full", "lift"):
                self.lift = 1
            drop_from = self.load

            def unloading(t, t1=lift_t, drop_from=drop_from):
                self.load = max(0.3, drop_from * (1 - (t - t1) / 80))
            self.stay(rng.uniform(60, 180), at=dc, on_fix=unloading)
            self.lift = 0
            self.stay(rng.uniform(60, 120), at=dc)
            dumped = lift_t if self.sensors in ("full", "lift") else arrive
            dx, dy = ll(*dc)
            trip.update({"disposal_site": dsp["id"], "dump_lon": dx, "dump_lat": dy, "dumped_at": iso(dumped),
                         "unload_window": [iso(arrive), iso(self.t)]})
            if permit["valid"] and dsp["id"] != permit["permit_disposal"]:
                self.record("unapproved_disposal", dumped, self.t, dc, trip_index, "sensor" if self.sensors != "none" else "gps",
                            "unloaded at %s, permit names %s" % (dsp["id"], permit["permit_disposal"]))
            self.trips.append(trip)
            self.load = 0.4
            # --- back to the source, empty
            back = [dc] + route["line"][::-1][1:]
            if trip_no == 1 and v == "signal_loss":
                total = length(back)
                self.drive(sub(back, 0, total * 0.15))
                g0 = self.t
                self.gap = (g0 + 1, g0 + rng.uniform(7, 10) * 60)
                self.drive(sub(back, total * 0.15, total))
                self.pending_gap = g0
            elif trip_no == 1 and v == "speeding":
                w = self.drive(back, kmh=35, fast=(0.3, rng.uniform(90, 150), rng.uniform(72, 80)), slow_zone=True)
                self.record_window("speeding", w, None, "gps", "sustained speed over 60 km/h")
            elif trip_no == 1 and v == "restricted_zone":
                z = next(z for z in self.g.city.zones if not z["on_route"] and self.zone_banned_now(z))
                self.drive([self.pos, z["c"]], slow_zone=False, kmh=24)
                enter = self.t
                self.drive([z["c"], (z["c"][0] + 300, z["c"][1] + 300)], kmh=12, slow_zone=False)
                self.record("restricted_zone", enter - 30, self.t, z["c"], None, "gps", "inside %s in banned hours" % z["id"])
                self.drive([self.pos, src["c"]], slow_zone=True)
            else:
                self.drive(back, stops=rng.randint(0, 2))
            if self.pending_gap is not None and self.fixes[-1][0] > self.gap[1]:
                self.close_gap()
            if self.t > end_t or (permit.get("hours") and self.t + 3600 > g.hours_end):
                break
        # --- home
        if self.pending_gap is not None:
            self.stay(60)
            self.close_gap()
        self.drive([self.pos, self.depot])
        self.stay(rng.uniform(10, 20) * 60)

    def close_gap(self):
        """Truth for a signal gap, by the contract's rule on the fixes around it."""
        g0, self.pending_gap = self.pending_gap, None
        before = [f for f in self.fixes if f[0] <= g0][-1]
        after = next(f for f in self.fixes if f[0] > g0)
        moved = dist((before[1], before[2]), (after[1], after[2]))
        if after[0] - before[0] >= 300 and moved >= 1000:
            mid = ((before[1] + after[1]) / 2, (before[2] + after[2]) / 2)
            self.record("signal_loss", before[0], after[0], mid, None, "gps", "no fixes while moving")

    def drive_loaded(self, line, trip_index, trip_no, wobble):
        rng, v = self.g.rng, self.violation
        t0 = self.t
        cam_before = len(self.fixes)
        if trip_no == 2 and v == "unsealed_sensor":
            total = length(line)
            self.drive(sub(line, 0, total * 0.2))
            self.lid = 0
            o = self.t
            self.drive(sub(line, total * 0.2, total * 0.55))
            c = self.fixes[-1]
            self.lid = 1
            self.record("unsealed", o, c[0], (c[1], c[2]), trip_index, "sensor", "cover open while loaded and moving")
            self.drive(sub(line, total * 0.55, total))
        else:
            self.drive(line, stops=rng.randint(0, 2), wobble=wobble)
            if wobble:
                self.decoy("corridor_wobble", t0, self.t, line[0], ["off_route"], "loaded truck swerved inside its corridor")
        if v == "overload_sensor":
            self.record("overload", t0, self.t, along(line, length(line) / 2), trip_index, "sensor",
                        "load cell above rated load while moving")
        if v == "outside_hours" and trip_no == 1:
            cut = self.g.hours_start
            if t0 < cut:
                self.record("outside_hours", t0, min(cut, self.t), line[0], trip_index, "gps",
                            "loaded and moving before permit hours")
        return cam_before

    def drive_off_route(self, line, route, trip_index):
        rng = self.g.rng
        total = length(line)
        a = along(line, total * 0.35)
        b = along(line, total * 0.55)
        c = self.off_site_point(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), 1300)
        self.drive(sub(line, 0, total * 0.35))
        n0 = len(self.fixes)
        self.drive([a, c, b], kmh=35)
        out = [f for f in self.fixes[n0:] if poly_dist((f[1], f[2]), line) > route["corridor"] + 15]
        if out:
            self.record("off_route", out[0][0], out[-1][0], c, trip_index, "gps",
                        "left the corridor of %s while loaded" % route["id"])
        self.drive(sub(line, total * 0.55, total))

    def off_site_point(self, near, d):
        city = self.g.city
        for _ in range(500):
            a = self.g.rng.uniform(0, 2 * math.pi)
            p = (near[0] + d * math.cos(a), near[1] + d * math.sin(a))
            ok = all(dist(p, s["c"]) > 600 for s in city.sources + city.disposals) and city.zone_at(p) is None
            ok = ok and all(dist(p, z["c"]) > 900 for z in city.zones)
            if ok:
                return p
        return (near[0] + d, near[1])

    def zone_banned_now(self, z):
        if z["hours"] is None:
            return True
        m = datetime.fromtimestamp(self.t + 600, TZ)
        minute = m.hour * 60 + m.minute
        for w in z["hours"]:
            a, b = w.split("-")
            s = int(a[:2]) * 60 + int(a[3:])
            e = int(b[:2]) * 60 + int(b[3:])
            if (s <= minute < e) if s < e else (minute >= s or minute < e):
                return True
        return False

    def record(self, vtype, t0, t1, p, trip, source, detail):
        lon, lat = ll(*p)
        self.violations.append({"vehicle_id": self.plate, "type": vtype, "start": iso(t0), "end": iso(t1),
                                "lon": lon, "lat": lat, "trip": trip, "source": source, "detail": detail})

    def record_window(self, vtype, w, trip, source, detail):
        if not w:
            return
        inside = [f for f in self.fixes if w[0] <= f[0] <= w[1]]
        if inside:
            self.record(vtype, inside[0][0], inside[-1][0], (inside[0][1], inside[0][2]), trip, source, detail)

    def decoy(self, kind, t0, t1, p, could_be, description):
        lon, lat = ll(*p)
        self.decoy_records.append({"kind": kind, "vehicle_id": self.plate, "start": iso(t0), "end": iso(t1),
                                   "lon": lon, "lat": lat, "could_be": could_be, "description": description})


class Night:
    VIOLATIONS = ["no_permit", "illegal_dump_sensor", "illegal_dump_trajectory", "unapproved_disposal", "off_route",
                  "outside_hours", "restricted_zone", "speeding", "overload_sensor", "overload_camera",
                  "unsealed_sensor", "unsealed_camera", "spill", "signal_loss", "plate_mismatch"]

    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.interval = a.interval_s
        night = datetime.strptime(a.night, "%Y-%m-%d").replace(tzinfo=TZ)
        self.night = night
        self.start = int((night + timedelta(hours=19, minutes=40)).timestamp())
        self.end = int((night + timedelta(hours=29, minutes=30)).timestamp())
        self.hours_start = int((night + timedelta(hours=22)).timestamp())
        self.hours_end = int((night + timedelta(hours=30)).timestamp())
        n_sources = max(6, min(40, a.trucks // 4))
        self.city = City(self.rng, n_sources, max(3, min(12, a.trucks // 12)))
        self.truth_trips = []

    def plates(self, n):
        seen, out = set(), []
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        while len(out) < n:
            p = "渝F" + (self.rng.choice(letters) if self.rng.random() < 0.3 else str(self.rng.randint(0, 9))) + \
                "%04d" % self.rng.randint(0, 9999)
            if p not in seen:
                seen.add(p)
                out.append(p)
        return out

    def build(self):
        rng, city, a = self.rng, self.city, self.a
        plates = self.plates(a.trucks + 4)
        vehicles, permits, trucks = [], [], []
        companies = ["万州区顺达土石方工程有限公司", "万州鑫运渣土运输有限公司", "万州平湖运输有限公司", "重庆三峡建工渣土清运有限公司"]
        # The violation plan: every type present, one per truck, the rest clean.
        n_bad = max(min(len(self.VIOLATIONS), a.trucks), int(a.trucks * 0.3))
        plan = (self.VIOLATIONS * (1 + n_bad // len(self.VIOLATIONS)))[:n_bad]
        plan += [None] * (a.trucks - len(plan))
        rng.shuffle(plan)
        night_date = self.night.date()
        for k in range(a.trucks):
            plate, v = plates[k], plan[k]
            sensors = ["full", "full", "full", "lift", "none"][k % 5]
            if v in ("overload_sensor", "unsealed_sensor", "illegal_dump_sensor"):
                sensors = "full"
            if v == "illegal_dump_trajectory":
                sensors = "none"
            rated = rng.choice([22.5, 25, 27.5, 30, 31])
            src = city.sources[k % len(city.sources)]
            dsp = city.disposals[(k // len(city.sources)) % len(city.disposals)]
            route_dsp = dsp
            permit_dsp = dsp
            if v == "unapproved_disposal":
                dsp = city.disposals[(city.disposals.index(dsp) + 1) % len(city.disposals)]
                route_dsp = dsp
            route = city.route(src, route_dsp)
            pid = "P-%s-%04d" % (self.night.year, 100 + 3 * k)
            valid = v != "no_permit"
            if valid:
                frm, to = night_date - timedelta(days=rng.randint(5, 40)), night_date + timedelta(days=rng.randint(3, 30))
            else:
                frm, to = night_date - timedelta(days=60), night_date - timedelta(days=rng.randint(3, 20))
            hours = ["22:00-06:00"] if (k % 7 != 3 or v == "outside_hours") else None
            permit = {"permit_id": pid, "vehicles": [plate], "source_site": src["id"], "disposal_site": permit_dsp["id"],
                      "route": None if v == "unapproved_disposal" else route["id"],
                      "valid_from": frm.isoformat(), "valid_to": to.isoformat()}
            if hours:
                permit["hours"] = hours
            permits.append(dict(permit))
            if v == "no_permit" and k % 2:
                # Valid dates, but for another source site.
                other = city.sources[(k + 1) % len(city.sources)]["id"]
                permits[-1].update({"source_site": other, "valid_from": (night_date - timedelta(days=5)).isoformat(),
                                    "valid_to": (night_date + timedelta(days=5)).isoformat()})
            decoys = set()
            if v is None:
                pick = rng.random()
                if pick < 0.2 and sensors != "none":
                    decoys.add("fuel_stop")
                elif pick < 0.35:
                    decoys.add("parked_gap")
                elif pick < 0.5:
                    decoys.add("corridor_wobble")
                elif pick < 0.6:
                    decoys.add("speed_spike")
            permit.update({"valid": valid, "permit_disposal": permit_dsp["id"], "route_disposal": route_dsp["id"]})
            permit["disposal_site"] = dsp["id"]
            depot = (src["c"][0] + rng.uniform(-1500, 1500), src["c"][1] + rng.uniform(-1500, 1500))
            while any(dist(depot, s["c"]) < 500 for s in city.sources + city.disposals):
                depot = (depot[0] + 400, depot[1] + 300)
            t = Truck(self, k, plate, sensors, rated, depot, permit, v, decoys)
            trucks.append(t)
            terminal = "0" + "%011d" % rng.randint(13000000000, 13999999999)
            vehicles.append((plate, companies[k % len(companies)], rated, terminal))
        city.finish(rng)
        # Registry entries without GPS, and plates with neither (unknown reads).
        for p in plates[a.trucks:a.trucks + 2]:
            vehicles.append((p, companies[0], 25, "0" + "%011d" % rng.randint(13000000000, 13999999999)))
        self.unknown_plates = [p for p in ("渝F%05d" % rng.randint(0, 99999) for _ in range(4)) if p not in plates][:2]
        for t in trucks:
            offset = rng.uniform(0, 40) * 60
            if t.violation == "outside_hours":
                offset = 0
            t.trip_base = len(self.truth_trips)
            t.run(self.start + offset, self.end - 3600)
            for trip in t.trips:
                self.truth_trips.append(trip)
            if "speed_spike" in t.decoys:
                moving = [i for i in range(1, len(t.fixes) - 1) if t.fixes[i][3] > 20 and t.fixes[i - 1][3] > 20]
                if moving:
                    i = moving[len(moving) // 2]
                    f = t.fixes[i]
                    t.fixes[i] = f[:3] + (round(rng.uniform(130, 140), 1),) + f[4:]
                    t.decoy("speed_spike", f[0], f[0], (f[1], f[2]), ["speeding"], "one fix reports about 135 km/h")
        self.trucks, self.vehicles, self.permits = trucks, vehicles, permits

    # -- cameras: passes at checkpoints, plus camera violations and decoys
    def cameras(self):
        rng, events = self.rng, []
        cps = self.city.checkpoints
        grid = {}
        for cp in cps:
            grid.setdefault((int(cp["c"][0] // 500), int(cp["c"][1] // 500)), []).append(cp)
        for t in self.trucks:
            inside_prev = {}
            for f in t.fixes:
                gx, gy = int(f[1] // 500), int(f[2] // 500)
                near_ids = set()
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        for cp in grid.get((gx + dx, gy + dy), ()):
                            if dist((f[1], f[2]), cp["c"]) <= cp["radius"] * 0.8:
                                near_ids.add(cp["id"])
                                if not inside_prev.get(cp["id"]):
                                    events.append({"t": f[0], "cp": cp["id"], "plate": t.plate, "type": "pass",
                                                   "conf": round(rng.uniform(0.7, 0.99), 2), "truck": t, "pos": cp["c"]})
                inside_prev = {k: True for k in near_ids}
        # Attach camera violations to a pass of a loaded truck.
        by_truck = {}
        for e in events:
            by_truck.setdefault(e["truck"].plate, []).append(e)
        for t in self.trucks:
            kind = {"overload_camera": "overload", "unsealed_camera": "unsealed", "spill": "spill"}.get(t.violation)
            passes = by_truck.get(t.plate, [])
            loaded = [e for e in passes if self.loaded_at(t, e["t"]) is not None]
            if kind and loaded:
                e = loaded[len(loaded) // 2]
                e["type"], e["conf"] = kind, round(rng.uniform(0.8, 0.97), 2)
                t.record(kind, e["t"], e["t"], e["pos"], self.loaded_at(t, e["t"]), "camera",
                         "camera %s saw %s" % (e["cp"], kind))
            elif not t.violation and passes and rng.random() < 0.25:
                e = passes[0]
                e["type"], e["conf"] = rng.choice(["unsealed", "spill"]), round(rng.uniform(0.3, 0.55), 2)
                t.decoy("low_confidence_camera", e["t"], e["t"], e["pos"], [e["type"]],
                        "camera %s event with confidence %.2f (< 0.6)" % (e["type"], e["conf"]))
            if t.violation == "plate_mismatch":
                # A cloned plate read at a checkpoint far from where the truck is.
                f = t.fixes[len(t.fixes) // 2]
                far = max(cps, key=lambda c: dist(c["c"], (f[1], f[2])))
                if dist(far["c"], (f[1], f[2])) > 3000:
                    events.append({"t": f[0], "cp": far["id"], "plate": t.plate, "type": "pass", "conf": 0.9,
                                   "truck": None, "pos": far["c"]})
                    t.record("plate_mismatch", f[0], f[0], far["c"], self.loaded_at(t, f[0]), "camera",
                             "plate read at %s while its GPS was elsewhere" % far["id"])
        for p in self.unknown_plates:
            cp = rng.choice(cps)
            tt = rng.randint(self.hours_start, self.hours_end)
            events.append({"t": tt, "cp": cp["id"], "plate": p, "type": "pass", "conf": 0.88, "truck": None, "pos": cp["c"]})
            lon, lat = ll(*cp["c"])
            self.extra_decoys.append({"kind": "unknown_plate_read", "vehicle_id": p, "start": iso(tt), "end": iso(tt),
                                      "lon": lon, "lat": lat, "could_be": ["plate_mismatch"],
                                      "description": "camera read of a plate with no GPS and no registry entry"})
        events.sort(key=lambda e: (e["t"], e["plate"]))
        out = []
        for i, e in enumerate(events):
            eid = "E-%06d" % (i + 1)
            out.append({"event_id": eid, "checkpoint_id": e["cp"], "time": iso(e["t"]), "plate": e["plate"],
                        "type": e["type"], "confidence": e["conf"], "image": "snapshots/%s.jpg" % eid})
        return out

    def loaded_at(self, t, time):
        base = t.trip_base
        for i, trip in enumerate(t.trips):
            s = datetime.fromisoformat(trip["loaded_at"]).timestamp()
            e = datetime.fromisoformat(trip["dumped_at"]).timestamp() if trip.get("dumped_at") else s
            if s <= time <= e:
                return base + i
        return None


WASTE_TYPES = ["excavated_soil", "engineering_mud", "demolition", "decoration", "other"]
FACILITIES = ["landfill", "recycling", "sorting", "backfill"]
CLOSE_MAX_S = 21600      # contract 12: manifest_close_max_s
MATCH_S = 2700           # manifest_match_s
JOIN_S = 1800            # a manifest or gate violation joins a trip this close in time


def ts(text):
    return int(datetime.fromisoformat(text).timestamp())


class Paperwork:
    """Manifests (电子联单) and gate passes for a driven night (contract section 12), with known faults.

    Drawn after the trucks have driven, from a random stream of its own: a seed's v1 files stay
    byte-identical whether or not the paperwork is written. Every fault sits on its own trip or gate
    pass, built far beyond its rule's threshold (weights >= 20 % off, tares >= 9 % off, GPS >= 1.5 km
    from the site); every decoy sits well on the near side of it, so no reading of the rules can flip one.
    """

    RATE = 0.006     # share of trips given each kind of fault and decoy (at least 2 of each)

    def __init__(self, night):
        self.night = night
        self.rng = rng = random.Random(night.a.seed * 7919 + 2)
        city = night.city
        self.facility = {d["id"]: FACILITIES[j % 4] for j, d in enumerate(city.disposals)}
        # Weighbridges at two sources in three and at every disposal site but each fifth.
        self.bridge = {s["id"] for i, s in enumerate(city.sources) if i % 3 != 2} | \
                      {d["id"] for j, d in enumerate(city.disposals) if j % 5 != 4}
        self.waste = {s["id"]: WASTE_TYPES[i % 5] for i, s in enumerate(city.sources)}
        # A site as squares (centre, half side): a construction site's MultiPolygon has a second part.
        self.parts = {d["id"]: [(d["c"], d["half"])] for d in city.disposals}
        for s in city.sources:
            self.parts[s["id"]] = [(s["c"], s["half"])] + \
                ([((s["c"][0] - s["half"] * 3, s["c"][1] + s["half"] * 3), s["half"] * 0.6)] if s["multi"] else [])
        self.tags, seen = {}, set()
        for v in night.vehicles:
            tag = None
            while tag is None or tag in seen:
                tag = "E2801160600002%010X" % rng.getrandbits(40)
            seen.add(tag)
            self.tags[v[0]] = tag
        self.tare = {t.plate: round(t.rated * rng.uniform(0.42, 0.55), 1) for t in night.trucks}
        self.manifests, self.events, self.violations, self.decoys = [], [], [], []
        self.data_start = min(t.fixes[0][0] for t in night.trucks if t.fixes)
        self.data_end = max(t.fixes[-1][0] for t in night.trucks if t.fixes)

    # -- geometry and time helpers
    def outside_at_least(self, p, site):
        """A lower bound of how far p lies outside the site (its squares' circumscribed circles)."""
        return min(dist(p, c) - h * math.sqrt(2) for c, h in self.parts[site])

    def far_fix(self, t, site, t0, t1):
        """A fix in (t0, t1) at least 1.5 km outside `site`, with neighbours within 60 s to interpolate from."""
        i = bisect.bisect_right(t.fix_times, t0)
        while 0 < i < len(t.fixes) - 1 and t.fix_times[i] < t1:
            f = t.fixes[i]
            if t.fix_times[i + 1] - t.fix_times[i - 1] <= 120 and self.outside_at_least((f[1], f[2]), site) > 1500:
                return f
            i += 1
        return None

    def nearest_fix(self, t, when):
        i = bisect.bisect_left(t.fix_times, when)
        near = [j for j in (i - 1, i) if 0 <= j < len(t.fixes)]
        return t.fixes[min(near, key=lambda j: abs(t.fix_times[j] - when))]

    def joined_trip(self, t, when):
        """The contract's case joining: the vehicle's trip nearest in time, if within 30 min."""
        best, bd = None, None
        for i, (a, b) in enumerate(t.trip_spans):
            d = 0 if a <= when <= b else min(abs(when - a), abs(when - b))
            if bd is None or d < bd:
                best, bd = t.trip_base + i, d
        return best if bd is not None and bd <= JOIN_S else None

    # -- building
    def build(self):
        rng, night = self.rng, self.night
        loads = []
        for t in night.trucks:
            t.fix_times = [f[0] for f in t.fixes]
            t.trip_spans = [(ts(tr["loaded_at"]), ts(tr["dumped_at"])) for tr in t.trips]
            for i, trip in enumerate(t.trips):
                loads.append({"truck": t, "gi": t.trip_base + i, "trip": trip, "load": t.loads[i],
                              "loaded_at": t.trip_spans[i][0], "dumped_at": t.trip_spans[i][1],
                              "arrive": ts(trip["unload_window"][0]), "leave": ts(trip["unload_window"][1]),
                              "next": t.trip_spans[i + 1][0] if i + 1 < len(t.trips) else t.fix_times[-1],
                              "fault": None, "manifest": None, "out": None, "in": None})
        n = max(2, int(len(loads) * self.RATE))
        pool = [L for L in loads if L["trip"]["permit_id"] and L["trip"]["disposal_site"]]
        rng.shuffle(pool)

        def take(kind, count, ok=lambda L: True):
            got = 0
            for L in pool:
                if got == count:
                    break
                if L["fault"] is None and ok(L):
                    L["fault"] = kind
                    got += 1

        take("missing", n)
        take("unclosed", n, lambda L: L["loaded_at"] + CLOSE_MAX_S + 900 < L["truck"].fix_times[-1])
        take("open_at_end", n, lambda L: L["loaded_at"] - 300 + CLOSE_MAX_S > self.data_end + 900)
        take("closed_far", n, lambda L: self.far_fix(L["truck"], L["trip"]["disposal_site"], L["leave"] + 60, L["next"]))
        take("presence_in", (n + 1) // 2, lambda L: self.far_fix(L["truck"], L["trip"]["disposal_site"],
                                                                L["loaded_at"] + 60, L["arrive"] - 60))
        take("presence_out", n // 2, lambda L: self.far_fix(L["truck"], L["trip"]["source_site"],
                                                           L["loaded_at"] + 120, L["arrive"]))
        for kind in ("weight", "weight_ok", "rfid", "rfid_only", "plate_only"):
            take(kind, n)
        for L in loads:
            self.paper(L)
        self.before_data(max(1, n // 2))
        self.tares(n, loads)
        self.number()
        for L in loads:
            self.judge(L)
        self.close_pairs(loads)
        self.summary = self.statistics(loads)

    def weighing(self, event, plate, net):
        if event["site"] in self.bridge:
            tare = self.tare[plate]
            event["gross_t"] = round(tare + net + self.rng.gauss(0, 0.05), 1)
            event["tare_t"] = round(tare + self.rng.gauss(0, 0.04), 1)

    def gate(self, site, when, direction, plate):
        e = {"site": site, "t": int(when), "direction": direction, "plate": plate, "rfid": self.tags[plate]}
        self.events.append(e)
        return e

    def paper(self, L):
        rng, t, trip, fault = self.rng, L["truck"], L["trip"], L["fault"]
        src, dsp = trip["source_site"], trip["disposal_site"]
        out = L["out"] = self.gate(src, L["loaded_at"] + rng.uniform(5, 20), "out", t.plate)
        self.weighing(out, t.plate, L["load"])
        declared = round(L["load"] * rng.uniform(0.97, 1.03), 1)
        left = round(out["gross_t"] - out["tare_t"], 1) if "gross_t" in out else declared
        L["left"] = left
        factor = {"weight": rng.choice([rng.uniform(0.62, 0.8), rng.uniform(1.2, 1.3)]),
                  "weight_ok": 1 + rng.choice([-1, 1]) * rng.uniform(0.05, 0.07)}.get(fault, rng.uniform(0.98, 1.02))
        received = None
        if dsp:
            inn = L["in"] = self.gate(dsp, L["arrive"] + rng.uniform(0, 20), "in", t.plate)
            self.weighing(inn, t.plate, left * factor)
            received = round(inn["gross_t"] - inn["tare_t"], 1) if "gross_t" in inn else round(left * factor, 1)
        if fault == "presence_in":
            f = self.far_fix(t, dsp, L["loaded_at"] + 60, L["arrive"] - 60)
            L["in"]["t"] = int(f[0] + rng.uniform(0, 5))
        elif fault == "presence_out":
            f = self.far_fix(t, src, L["loaded_at"] + 120, L["arrive"])
            out["t"] = int(f[0] + rng.uniform(0, 5))
        elif fault == "rfid":
            e = L["in"]
            e["rfid"] = self.tags[rng.choice([p for p in sorted(self.tags) if p != t.plate])]
        elif fault == "rfid_only":
            del L["in"]["plate"]
        elif fault == "plate_only":
            del L["in"]["rfid"]
        if trip["permit_id"] is None or fault == "missing":
            return
        m = L["manifest"] = {"permit_id": trip["permit_id"], "vehicle_id": t.plate,
                             "driver_id": "DR-%04d-%d" % (t.k + 1, 2 if t.k % 3 == 0 and L["loaded_at"] >= self.night.hours_start + 3 * 3600 else 1),
                             "source_site": src, "disposal_site": t.permit["permit_disposal"],
                             "waste_type": self.waste[src], "declared_t": declared,
                             "open": int(L["loaded_at"] - rng.uniform(60, 300)), "close": None, "closed_site": None,
                             "received_t": None}
        self.manifests.append(m)
        out["manifest"] = m
        if fault in ("unclosed", "open_at_end"):
            return
        if dsp is None:
            # Dumped on the way, yet a disposal site confirms receipt of the whole load.
            m.update(close=int(L["dumped_at"] + rng.uniform(900, 1500)), closed_site=m["disposal_site"],
                     received_t=round(left * rng.uniform(0.98, 1.01), 1))
            return
        L["in"]["manifest"] = m
        m.update(close=int(L["leave"] - rng.uniform(0, 60)), closed_site=dsp, received_t=received)
        if fault == "closed_far":
            f = self.far_fix(t, dsp, L["leave"] + 60, L["next"])
            m["close"] = int(f[0] + rng.uniform(0, 5))

    def before_data(self, count):
        """Manifests opened and closed before the first fix: they match no trip and nothing judges them."""
        rng = self.rng
        for t in self.night.trucks:
            if count == 0:
                break
            if not t.permit["valid"] or not t.trips or ts(t.trips[0]["loaded_at"]) < self.data_start + 2 * MATCH_S:
                continue
            count -= 1
            src = t.permit["source_site"]
            declared = round(t.rated * rng.uniform(0.85, 0.95), 1)
            m = {"permit_id": t.permit["permit_id"], "vehicle_id": t.plate, "driver_id": "DR-%04d-1" % (t.k + 1),
                 "source_site": src, "disposal_site": t.permit["permit_disposal"], "waste_type": self.waste[src],
                 "declared_t": declared, "open": int(self.data_start - rng.uniform(2400, 3000)), "close": None,
                 "closed_site": t.permit["permit_disposal"], "received_t": round(declared * rng.uniform(0.98, 1.02), 1)}
            m["close"] = int(m["open"] + rng.uniform(1500, 2000))
            self.manifests.append(m)
            self.decoy(t, "manifest_before_data", m["open"], m["close"], ["manifest_missing", "manifest_mismatch",
                       "manifest_unclosed", "weight_discrepancy"],
                       "manifest opened and closed before the data starts: matches no trip, closed with no GPS to judge")

    def tares(self, n, loads):
        """A tare reading far off (fault) or a little off (decoy) on trucks weighed at least 5 times."""
        rng = self.rng
        weighed = {}
        for e in self.events:
            if "tare_t" in e:
                weighed.setdefault(e.get("plate") or next(p for p, g in self.tags.items() if g == e["rfid"]), []).append(e)
        plain = {id(L["in"]) for L in loads if L["fault"] is None and L["in"] is not None}
        trucks = [t for t in self.night.trucks if len(weighed.get(t.plate, ())) >= 5]
        rng.shuffle(trucks)
        for k, t in enumerate(trucks[:2 * n]):
            own = [e for e in weighed[t.plate] if id(e) in plain and e["direction"] == "in"]
            if not own:
                continue
            e = own[len(own) // 2]
            off = rng.uniform(0.09, 0.14) if k < n else rng.uniform(0.025, 0.035)
            e["tare_t"] = round(self.tare[t.plate] * (1 + rng.choice([-1, 1]) * off), 1)
            e["tare_fault" if k < n else "tare_decoy"] = True

    def number(self):
        self.manifests.sort(key=lambda m: (m["open"], m["vehicle_id"]))
        for i, m in enumerate(self.manifests):
            m["manifest_id"] = "M-%s-%06d" % (datetime.fromtimestamp(m["open"], TZ).strftime("%Y%m%d"), i + 1)
        self.events.sort(key=lambda e: (e["t"], e["site"], e.get("plate") or e["rfid"]))
        for i, e in enumerate(self.events):
            e["event_id"] = "G-%06d" % (i + 1)

    # -- truth
    def record(self, t, vtype, start, end, source, detail, trip="join"):
        f = self.nearest_fix(t, start)
        lon, lat = ll(f[1], f[2])
        self.violations.append({"vehicle_id": t.plate, "type": vtype, "start": iso(start), "end": iso(end),
                                "lon": lon, "lat": lat, "trip": self.joined_trip(t, start) if trip == "join" else trip,
                                "source": source, "detail": detail})

    def decoy(self, t, kind, start, end, could_be, description):
        f = self.nearest_fix(t, start)
        lon, lat = ll(f[1], f[2])
        self.decoys.append({"kind": kind, "vehicle_id": t.plate, "start": iso(start), "end": iso(end), "lon": lon,
                            "lat": lat, "could_be": could_be, "description": description})

    def judge(self, L):
        t, trip, m, fault = L["truck"], L["trip"], L["manifest"], L["fault"]
        if m is None:
            self.record(t, "manifest_missing", L["loaded_at"], L["dumped_at"], "manifest",
                        "trip from %s with no manifest" % trip["source_site"])
        elif fault == "unclosed":
            self.record(t, "manifest_unclosed", m["open"], m["open"], "manifest",
                        "manifest %s still open after 6 h" % m["manifest_id"])
        elif fault == "open_at_end":
            self.decoy(t, "manifest_open_at_end", m["open"], m["open"], ["manifest_unclosed"],
                       "manifest %s still open when the data ends, less than 6 h after opening" % m["manifest_id"])
        elif trip["disposal_site"] is None:
            self.record(t, "manifest_mismatch", m["close"], m["close"], "manifest",
                        "manifest %s closed at %s, load dumped outside every site" % (m["manifest_id"], m["closed_site"]))
        elif fault == "closed_far":
            f = self.nearest_fix(t, m["close"])
            self.record(t, "manifest_mismatch", m["close"], m["close"], "manifest",
                        "manifest %s closed at %s while the truck's GPS is %d m away" %
                        (m["manifest_id"], m["closed_site"], dist((f[1], f[2]), self.parts[m["closed_site"]][0][0])))
        elif fault in ("weight", "weight_ok"):
            ratio = m["received_t"] / L["left"]
            if fault == "weight":
                self.record(t, "weight_discrepancy", m["close"], m["close"], "manifest",
                            "received %.1f t of %.1f t" % (m["received_t"], L["left"]))
            else:
                self.decoy(t, "weight_within_tolerance", m["close"], m["close"], ["weight_discrepancy"],
                           "received %.1f t of %.1f t (%.1f %% off, within 10 %%)" % (m["received_t"], L["left"], abs(ratio - 1) * 100))
        if m is not None and fault is None and m["disposal_site"] != m["closed_site"] and trip["disposal_site"] == m["closed_site"]:
            self.decoy(t, "closed_where_unloaded", m["close"], m["close"], ["manifest_mismatch"],
                       "manifest %s planned for %s, closed at %s where the truck did unload" %
                       (m["manifest_id"], m["disposal_site"], m["closed_site"]))
        for e in (L["out"], L["in"]):
            if e is None:
                continue
            if fault in ("presence_in", "presence_out") and e is L[fault[9:]]:
                f = self.nearest_fix(t, e["t"])
                self.record(t, "presence_mismatch", e["t"], e["t"], "gate", "gate pass at %s while the truck's GPS is %d m away"
                            % (e["site"], dist((f[1], f[2]), self.parts[e["site"]][0][0])))
            if fault == "rfid" and e is L["in"]:
                owner = next(p for p, g in self.tags.items() if g == e["rfid"])
                self.record(t, "rfid_mismatch", e["t"], e["t"], "gate", "tag of %s read with plate %s" % (owner, t.plate))
            if fault == "rfid_only" and e is L["in"]:
                self.decoy(t, "rfid_only_read", e["t"], e["t"], ["rfid_mismatch", "presence_mismatch"],
                           "gate read the tag only (camera missed the plate)")
            if fault == "plate_only" and e is L["in"]:
                self.decoy(t, "plate_only_read", e["t"], e["t"], ["rfid_mismatch", "presence_mismatch"],
                           "gate read the plate only (no tag read)")
            if e.get("tare_fault"):
                self.record(t, "tare_anomaly", e["t"], e["t"], "gate",
                            "tare %.1f t against about %.1f t" % (e["tare_t"], self.tare[t.plate]))
            if e.get("tare_decoy"):
                self.decoy(t, "tare_within_tolerance", e["t"], e["t"], ["tare_anomaly"],
                           "tare %.1f t against about %.1f t (within 5 %%)" % (e["tare_t"], self.tare[t.plate]))

    def close_pairs(self, loads):
        """Two loadings of one truck at one site under 45 min apart, each with its own manifest."""
        for a, b in zip(loads, loads[1:]):
            if a["truck"] is b["truck"] and a["manifest"] and b["manifest"] and a["fault"] is None and b["fault"] is None \
                    and a["trip"]["source_site"] == b["trip"]["source_site"] and b["loaded_at"] - a["loaded_at"] < MATCH_S:
                self.decoy(a["truck"], "close_trips_own_manifests", a["loaded_at"], b["loaded_at"],
                           ["manifest_missing", "manifest_mismatch", "weight_discrepancy"],
                           "two loadings %d min apart at %s, each with its own manifest (nearest opening wins)"
                           % ((b["loaded_at"] - a["loaded_at"]) // 60, a["trip"]["source_site"]))

    def statistics(self, loads):
        """counts.manifest_summary, by the contract's definitions, from what the files say."""
        by_facility = {f: 0.0 for f in FACILITIES}
        for L in loads:
            trip, dsp = L["trip"], L["trip"]["disposal_site"]
            if dsp is None:
                continue
            e, m = L["in"], L["manifest"]
            if e is not None and "gross_t" in e and L["loaded_at"] <= e["t"] <= L["dumped_at"] + 1800:
                tonnes = e["gross_t"] - e["tare_t"]
            elif m is not None and m["close"] is not None and m["closed_site"] == dsp:
                tonnes = m["received_t"]
            else:
                tonnes = trip["load_t"]
            by_facility[self.facility[dsp]] += tonnes
        by_waste = {w: 0.0 for w in WASTE_TYPES}
        for m in self.manifests:
            by_waste[m["waste_type"]] += m["declared_t"]
        opened, closed = len(self.manifests), sum(1 for m in self.manifests if m["close"] is not None)
        total = sum(by_facility.values())
        return {"manifests_opened": opened, "manifests_closed": closed,
                "manifest_closure_rate": round(closed / opened, 4) if opened else 0.0,
                "trips_without_manifest": sum(1 for L in loads if L["manifest"] is None),
                "tonnes_by_facility": {k: round(v, 1) for k, v in by_facility.items()},
                "recycling_rate": round((by_facility["recycling"] + by_facility["sorting"]) / total, 4) if total else 0.0,
                "tonnes_by_waste_type": {k: round(v, 1) for k, v in by_waste.items()}}

    # -- files
    def write(self, out):
        with open(os.path.join(out, "manifests.jsonl"), "w", encoding="utf-8") as fh:
            for m in self.manifests:
                row = {"manifest_id": m["manifest_id"], "permit_id": m["permit_id"], "vehicle_id": m["vehicle_id"],
                       "driver_id": m["driver_id"], "source_site": m["source_site"], "disposal_site": m["disposal_site"],
                       "waste_type": m["waste_type"], "declared_t": m["declared_t"], "opened_at": iso(m["open"]),
                       "closed_at": None if m["close"] is None else iso(m["close"]), "closed_site": m["closed_site"],
                       "received_t": m["received_t"]}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        with open(os.path.join(out, "gate_events.jsonl"), "w", encoding="utf-8") as fh:
            for e in self.events:
                row = {"event_id": e["event_id"], "site": e["site"], "time": iso(e["t"]), "direction": e["direction"]}
                for k in ("plate", "rfid", "gross_t", "tare_t"):
                    if k in e:
                        row[k] = e[k]
                if "manifest" in e:
                    row["manifest_id"] = e["manifest"]["manifest_id"]
                row["image"] = "gates/%s.jpg" % e["event_id"]
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_traces(night, out, fmt):
    """Interleave all trucks' fixes by time, add late, duplicate and bad rows; returns rejects and counts."""
    rng = random.Random(night.a.seed * 7919 + 1)
    rows = []
    unix_trucks = {t.plate for t in night.trucks if t.k % 9 == 4}
    for t in night.trucks:
        for f in t.fixes:
            rows.append((f[0], t.plate, f))
    rows.sort(key=lambda r: (r[0], r[1]))
    # Late rows: moved 1-30 minutes later in the file.
    n = len(rows)
    order = list(range(n))
    for i in range(n):
        if rng.random() < 0.01:
            order[i] = i + rng.randint(2, 60) * (n // max(1, (night.end - night.start) // 30))
    idx = sorted(range(n), key=lambda i: (order[i], i))
    cols = ["vehicle_id", "time", "lon", "lat", "speed_kmh", "heading", "alt_m", "lift", "lid", "load_t"]
    # Physical lines: the CSV header is line 1; JSON Lines has no header.
    rejects, line, dups, outliers, bad = [], (1 if fmt == "csv" else 0), 0, 0, 0
    moving = [i for i in range(1, n - 1) if rows[i][2][3] > 15]
    outlier_rows = set(rng.sample(moving, min(len(moving), max(3, n // 10000))))
    path = os.path.join(out, "traces." + fmt)
    fname = os.path.basename(path)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        if fmt == "csv":
            fh.write(",".join(cols) + "\n")
        for i in idx:
            tt, plate, f = rows[i]
            lon, lat = ll(f[1], f[2])
            if i in outlier_rows:
                lon, lat = round(lon + rng.choice([-1, 1]) * rng.uniform(0.03, 0.06), 6), round(lat + rng.uniform(0.02, 0.05), 6)
            tval = str(tt) if plate in unix_trucks else iso(tt)
            vals = [plate, tval, "%.6f" % lon, "%.6f" % lat, "%.1f" % f[3], str(f[4]), "%.1f" % (200 + f[2] / 100),
                    "" if f[5] is None else str(f[5]), "" if f[6] is None else str(f[6]),
                    "" if f[7] is None else "%.1f" % f[7]]
            copies = 2 if rng.random() < 0.005 else 1
            # Only valid copies count: a copy written as a bad row is a reject, not a duplicate,
            # and an outlier whose every copy is bad never reaches the analyzer.
            valid = 0
            for _ in range(copies):
                line += 1
                r = rng.random()
                if r < 0.002:
                    bad += 1
                    kind = rng.choice(["bad time", "truncated line", "lon > 180", "NaN latitude", "empty time",
                                       "bad speed", "missing vehicle_id"])
                    v = list(vals)
                    if kind == "bad time":
                        v[1] = "2026-13-45T25:61:00+08:00"
                    elif kind == "lon > 180":
                        v[2] = "%.6f" % (lon + 200)
                    elif kind == "NaN latitude":
                        v[3] = "NaN"
                    elif kind == "empty time":
                        v[1] = ""
                    elif kind == "bad speed":
                        v[4] = "fast"
                    elif kind == "missing vehicle_id":
                        v[0] = ""
                    rejects.append({"file": fname, "line": line, "reason": kind})
                    if kind == "truncated line":
                        text = ",".join(v[:6]) if fmt == "csv" else json.dumps(dict(zip(cols, v)), ensure_ascii=False)[:40]
                    else:
                        text = ",".join(v) if fmt == "csv" else json.dumps(dict(zip(cols, v)), ensure_ascii=False)
                    fh.write(text + "\n")
                    continue
                valid += 1
                if fmt == "csv":
                    fh.write(",".join(vals) + "\n")
                else:
                    o = dict(zip(cols, vals))
                    for k in ("lift", "lid", "load_t"):
                        if o[k] == "":
                            o[k] = None
                    fh.write(json.dumps(o, ensure_ascii=False) + "\n")
            dups += max(0, valid - 1)
            outliers += 1 if i in outlier_rows and valid > 0 else 0
    return rejects, line - (1 if fmt == "csv" else 0), dups, outliers


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trucks", type=int, default=12)
    ap.add_argument("--fixes", type=int, help="scale the number of trucks to reach about this many fixes")
    ap.add_argument("--interval-s", type=float, default=30.0)
    ap.add_argument("--night", default="2026-11-20")
    ap.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-manifests", action="store_true",
                    help="a v1 night: no manifests.jsonl, gate_events.jsonl, rfid column or facility property")
    a = ap.parse_args()
    if a.fixes:
        per_truck = 10.5 * 3600 / a.interval_s * 0.95
        a.trucks = max(12, int(a.fixes / per_truck))
    night = Night(a)
    night.extra_decoys = []
    night.build()
    cams = night.cameras()
    papers = None
    if not a.no_manifests:
        papers = Paperwork(night)
        papers.build()
    os.makedirs(os.path.join(a.out, "geofences"), exist_ok=True)
    for name, fc in night.city.geojson(papers.facility if papers else None).items():
        with open(os.path.join(a.out, "geofences", name), "w", encoding="utf-8") as fh:
            json.dump(fc, fh, ensure_ascii=False, indent=1)
    rejects, rows, dups, outliers = write_traces(night, a.out, a.format)
    with open(os.path.join(a.out, "cameras.jsonl"), "w", encoding="utf-8") as fh:
        for e in cams:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    permits = [{k: v for k, v in p.items()} for p in night.permits]
    with open(os.path.join(a.out, "permits.json"), "w", encoding="utf-8") as fh:
        json.dump(permits, fh, ensure_ascii=False, indent=1)
    with open(os.path.join(a.out, "vehicles.csv"), "w", encoding="utf-8") as fh:
        if papers:
            fh.write("vehicle_id,company,rated_load_t,terminal_id,rfid\n")
            for v in night.vehicles:
                fh.write("%s,%s,%s,%s,%s\n" % (v + (papers.tags[v[0]],)))
        else:
            fh.write("vehicle_id,company,rated_load_t,terminal_id\n")
            for v in night.vehicles:
                fh.write("%s,%s,%s,%s\n" % v)
    traces = "traces." + a.format
    command = "muckwatch analyze --fences geofences --traces %s --cameras cameras.jsonl " \
              "--permits permits.json --vehicles vehicles.csv" % traces
    if papers:
        papers.write(a.out)
        command += " --manifests manifests.jsonl --gate-events gate_events.jsonl"
    manifest = {"seed": a.seed, "night": a.night, "fences": "geofences", "fence_coords": "wgs84", "traces": [traces],
                "cameras": "cameras.jsonl", "permits": "permits.json", "vehicles": "vehicles.csv",
                "command": command + " --out OUT"}
    if papers:
        manifest.update(manifests="manifests.jsonl", gate_events="gate_events.jsonl")
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
    violations = [v for t in night.trucks for v in t.violations]
    decoys = [d for t in night.trucks for d in t.decoy_records] + night.extra_decoys
    if papers:
        violations += papers.violations
        decoys += papers.decoys
    by_type = {}
    for v in violations:
        by_type[v["type"]] = by_type.get(v["type"], 0) + 1
    truth = {"seed": a.seed, "params": {"trucks": a.trucks, "night": a.night, "interval_s": a.interval_s,
                                        "trace_format": a.format, "generator": "benchmarks/generate_night.py"},
             "trips": night.truth_trips, "violations": violations, "decoys": decoys, "rejects": rejects,
             "counts": {"fixes_total": rows, "fixes_bad": len(rejects), "duplicates": dups, "outliers": outliers,
                        "vehicles": a.trucks, "trips": len(night.truth_trips), "violations": len(violations),
                        "violations_by_type": by_type, "camera_events": len(cams), "permits": len(permits)}}
    if papers:
        truth["params"]["manifests"] = {"file": "manifests.jsonl", "gate_events": "gate_events.jsonl",
                                        "generator": "benchmarks/generate_night.py"}
        truth["counts"].update(manifests=len(papers.manifests), gate_events=len(papers.events),
                               manifest_summary=papers.summary)
    with open(os.path.join(a.out, "truth.json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
    print("wrote %s: %d trucks, %d fixes, %d trips, %d violations, %d rejects%s" %
          (a.out, a.trucks, rows, len(night.truth_trips), len(violations), len(rejects),
           ", %d manifests, %d gate events" % (len(papers.manifests), len(papers.events)) if papers else ""))


if __name__ == "__main__":
    main()
