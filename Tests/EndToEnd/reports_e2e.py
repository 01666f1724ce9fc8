#!/usr/bin/env python3
"""Officers' reports (issue #21) end to end, in headless Chromium:

1. the case list's Excel download equals `muckwatch cases export --xlsx` with the same filters, and
   openpyxl reads it back (one row per case);
2. the printable evidence sheet printed to PDF (Chromium's own printing, the page's CSS page size):
   A4 pages holding the case id, the chain, the map's legend and the evidence, with a camera image
   served from `serve --images`;
3. the track replay played on the SVG map (screenshot docs/screenshots/21-replay.png);
4. the case map on a basemap from a local tile server with `--tiles-datum gcj02`: tiles load under
   the CSP, overlays are shifted to GCJ-02 (screenshot docs/screenshots/21-basemap.png);
5. the reports page: funnel totals equal the store's count, league tables sorted on the server.

Needs chromium, chromium-driver, python3 openpyxl and pypdf (scripts/install-deps --browser).
"""
import argparse, base64, shutil, http.server, io, json, os, sqlite3, struct, subprocess, sys, tempfile, threading, time, zlib
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, ReviewServer, ROOT, check, free_port  # noqa: E402

SHOTS = os.path.join(ROOT, "docs", "screenshots")


def png(width, height, pixel):
    """A PNG of `pixel(x, y) -> (r, g, b)`: tiles and camera images without an imaging library."""
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tile(z, x, y):
    """A pale map-like tile: a checker of two greens with a grey road grid, so tiles are seen to line up."""
    base = (226, 236, 218) if (x + y) % 2 else (236, 242, 226)
    def pixel(px, py):
        if px % 64 in (0, 1) or py % 64 in (0, 1):
            return (200, 200, 205)
        return base
    return png(256, 256, pixel)


class TileServer:
    """A tile server on a free port: `/{z}/{x}/{y}.png`, every request remembered."""
    def __init__(self):
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.strip("/").removesuffix(".png").split("/")
                try:
                    z, x, y = (int(p) for p in parts)
                except ValueError:
                    self.send_error(404)
                    return
                outer.requests.append((z, x, y))
                body = tile(z, x, y)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def session_get(b, url):
    """GET `url` with browser `b`'s cookies: what a click on a download link fetches."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in b.s("GET", "/cookie"))
    req = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, dict(r.headers), r.read()


def execute(b, script, *args):
    return b.s("POST", "/execute/sync", {"script": script, "args": list(args)})


def wait_until(b, script, seconds=20, what="condition"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if execute(b, script):
            return
        time.sleep(0.2)
    raise SystemExit(f"FAIL: {what} not met within {seconds} s")


def pick_case(db):
    """A city_management case (officer wang's) with a trip, camera reads with images and the most
    violations: the richest evidence sheet."""
    con = sqlite3.connect(db)
    row = con.execute("""
        SELECT c.case_id FROM cases c JOIN case_departments d ON d.case_id = c.case_id
        WHERE d.department = 'city_management' AND c.superseded = 0 AND c.trip_key IS NOT NULL
          AND EXISTS (SELECT 1 FROM case_tracks t WHERE t.case_id = c.case_id)
        ORDER BY (SELECT count(*) FROM violations v JOIN evidence e ON e.violation_id = v.id
                  WHERE v.case_id = c.case_id AND e.kind = 'camera_event') DESC,
                 (SELECT count(*) FROM violations v WHERE v.case_id = c.case_id) DESC, c.case_id
        LIMIT 1""").fetchone()
    images = [r[0] for r in con.execute("SELECT image FROM camera_events WHERE image IS NOT NULL")]
    con.close()
    return row[0], images


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muckwatch", required=True)
    args = ap.parse_args()
    import openpyxl, pypdf  # noqa: F401  (fail early with the import error when missing)

    work = tempfile.mkdtemp(prefix="muckwatch-reports-e2e-")
    images = os.path.join(work, "images")
    link_base = "http://review.example.gov.cn"
    serve = ["--images", images, "--link-base", link_base]
    with ReviewServer(args.muckwatch, serve_args=serve) as s:
        case_id, image_paths = pick_case(s.db)
        # The camera images the night names, as small PNG files under --images.
        for p in image_paths:
            os.makedirs(os.path.dirname(os.path.join(images, p)), exist_ok=True)
            with open(os.path.join(images, p), "wb") as f:
                f.write(png(64, 48, lambda x, y: (40 + x * 3, 60 + y * 3, 120)))
        b = Browser(s.driver_port)
        try:
            s.login(b)

            # 1. Excel: the list's button keeps the filters; its file is the CLI's file.
            b.go(s.app + "/cases?department=city_management")
            href = b.attr(b.find("#download-xlsx"), "href")
            check("department=city_management" in href and "/cases.xlsx" in href, f"Excel button keeps the filters ({href})")
            status, headers, body = session_get(b, s.app + href)
            check(status == 200 and headers.get("Content-Type", "").startswith(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "download is an xlsx")
            cli_file = os.path.join(work, "cli.xlsx")
            subprocess.run([args.muckwatch, "cases", "export", "--db", s.db, "--xlsx", cli_file,
                            "--department", "city_management", "--link-base", link_base], check=True,
                           stdout=subprocess.DEVNULL)
            with open(cli_file, "rb") as f:
                check(f.read() == body, "the download is byte-equal to `cases export --xlsx` with the same filters")
            wb = openpyxl.load_workbook(io.BytesIO(body))
            con = sqlite3.connect(s.db)
            n = con.execute("""SELECT count(*) FROM cases c WHERE superseded = 0 AND EXISTS (SELECT 1 FROM case_departments d
                               WHERE d.case_id = c.case_id AND d.department = 'city_management')""").fetchone()[0]
            nv = con.execute("""SELECT count(*) FROM violations v JOIN cases c ON c.case_id = v.case_id WHERE c.superseded = 0
                                AND EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.case_id
                                AND d.department = 'city_management')""").fetchone()[0]
            all_cases = con.execute("SELECT count(*) FROM cases WHERE superseded = 0").fetchone()[0]
            con.close()
            cases = wb["Cases 案件"]
            check(cases.max_row == n + 1, f"one row per case ({n})")
            check(wb["Violations 违规"].max_row == nv + 1, f"one row per violation ({nv})")
            stats = {(r[0], r[1]): r[2] for r in wb["Statistics 统计"].iter_rows(min_row=2, values_only=True)}
            check(stats[("total", "cases")] == n and stats[("total", "violations")] == nv, "statistics totals")
            check(cases["K2"].hyperlink.target.startswith(link_base + "/cases/"), "case rows link to the case page")

            # 2. The evidence sheet, printed by Chromium with the page's own page size.
            b.go(s.app + f"/cases/{case_id}")
            check(b.attr(b.find("#print-link"), "href").endswith(f"/cases/{case_id}/print"), "case page has a Print button")
            b.go(s.app + f"/cases/{case_id}/print")
            b.wait_text("#generated", lambda t: "store run" in t)
            shown = execute(b, "return Array.from(document.querySelectorAll('#evidence-images img')).filter(i => i.complete && i.naturalWidth > 0).length")
            check(shown >= 1, f"the print page shows the camera images found under --images ({shown})")
            pdf = base64.b64decode(b.s("POST", "/goog/cdp/execute", {"cmd": "Page.printToPDF", "params": {
                "preferCSSPageSize": True, "printBackground": True}})["data"])
            with open(os.path.join(work, "print.pdf"), "wb") as f:
                f.write(pdf)
            reader = pypdf.PdfReader(io.BytesIO(pdf))
            boxes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
            check(len(reader.pages) >= 1 and boxes == {(595, 842)}, f"{len(reader.pages)} A4 pages (595×842 pt): {boxes}")
            text = "".join(p.extract_text() for p in reader.pages)
            for needle in (case_id, "Evidence sheet", "SOURCE", "Map", "Timeline", "Violations and evidence",
                           "loaded 重车", "Position", "Camera events", "Audit trail", "store run"):
                check(needle.lower() in text.lower(), f"the PDF holds “{needle}”")
            check("Log out" not in text and "Replay" not in text, "the PDF leaves out the app's header and controls")

            # 3. The replay on the SVG map.
            b.go(s.app + f"/cases/{case_id}")
            wait_until(b, "return document.getElementById('replay').classList.contains('ready')", what="replay ready")
            _, headers, _ = session_get(b, s.app + f"/cases/{case_id}")
            policy = headers.get("Content-Security-Policy", "")
            check("script-src 'self'" in policy and "unsafe-inline" not in policy, "strict CSP kept: " + policy)
            start = int(execute(b, "return +document.getElementById('replay').dataset.start"))
            b.select("#replay-speed", "300")
            b.click(b.find("#replay-play"))
            wait_until(b, f"return +document.getElementById('replay').dataset.t > {start} + 600", what="replay advances")
            b.click(b.find("#replay-play"))  # pause
            t = int(execute(b, "return +document.getElementById('replay').dataset.t"))
            future = len(b.find_all("#timeline li.replay-future"))
            passed = len(b.find_all("#timeline li[data-at]")) - future
            check(future > 0 and passed > 0, f"events appear as the replay passes them ({passed} shown, {future} to come)")
            check(all(int(x) <= t for x in execute(b, "return Array.from(document.querySelectorAll('#timeline li[data-at]:not(.replay-future)')).map(l => l.dataset.at)")),
                  "every event shown happened before the replay's time")
            cx = b.attr(b.find("#replay-truck"), "cx")
            check(cx not in (None, "", "NaN"), f"the truck is on the map (cx={cx})")
            # The screenshot at a set moment: a third of the way.
            execute(b, "var p = document.getElementById('replay-pos'); p.value = 340; p.dispatchEvent(new Event('input'));")
            execute(b, "document.querySelector('section.map').scrollIntoView()")
            b.screenshot(os.path.join(SHOTS, "21-replay.png"))
            print("ok  - screenshot docs/screenshots/21-replay.png")
            with_svg = json.loads(session_get(b, s.app + f"/cases/{case_id}/replay.json")[2])

            # 5. Reports: the funnel's cases are the store's; tables sort on the server.
            b.go(s.app + "/reports")
            total_cases = int(b.text(b.find("#funnel-total th:nth-child(5)")))
            check(total_cases == all_cases, f"funnel total cases = store count ({all_cases})")
            b.go(s.app + "/reports?league=vehicle&sort=trips&dir=desc")
            trips = [int(x) for x in execute(b, "return Array.from(document.querySelectorAll('#league-table tbody tr.league-row td:nth-child(3)')).map(td => td.textContent)")]
            check(len(trips) > 1 and trips == sorted(trips, reverse=True), f"vehicles sorted by trips, most first ({len(trips)} rows)")
            b.click(b.find("#league-table a.sort[data-sort='trips']"))
            b.wait_text("#league-table thead", lambda t: "▲" in t)
            trips = [int(x) for x in execute(b, "return Array.from(document.querySelectorAll('#league-table tbody tr.league-row td:nth-child(3)')).map(td => td.textContent)")]
            check(trips == sorted(trips), "a second click on the column sorts it the other way")
            b.go(s.app + "/reports?league=driver")
            check(len(b.find_all("#league-table tr.league-row")) >= 1, "drivers' table from the manifests")
            b.screenshot(os.path.join(SHOTS, "21-reports.png"))
        finally:
            b.quit()

    # 4. The basemap from a local tile server, GCJ-02 tiles.
    tiles = TileServer()
    try:
        template = f"http://127.0.0.1:{tiles.port}/{{z}}/{{x}}/{{y}}.png"
        with ReviewServer(args.muckwatch, serve_args=["--tiles", template, "--tiles-datum", "gcj02"]) as s:
            b = Browser(s.driver_port)
            try:
                s.login(b)
                b.go(s.app + f"/cases/{case_id}")
                wait_until(b, "return document.querySelectorAll('#basemap img.leaflet-tile-loaded').length >= 4",
                           what="basemap tiles loaded")
                check(len(tiles.requests) >= 4, f"tiles fetched from the city's tile server ({len(tiles.requests)})")
                _, headers, _ = session_get(b, s.app + f"/cases/{case_id}")
                check(f"http://127.0.0.1:{tiles.port}" in headers.get("Content-Security-Policy", ""),
                      "the tile server is allowed by the CSP's img-src")
                # The track (#1971c2) and the violation markers (#c92a2a) are painted on Leaflet's canvas.
                painted = execute(b, """
                    var c = document.querySelector('#basemap canvas'); if (!c) return null;
                    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, track = 0, marks = 0;
                    for (var i = 0; i < d.length; i += 4) {
                      if (d[i+3] > 0 && Math.abs(d[i]-25) < 30 && Math.abs(d[i+1]-113) < 30 && Math.abs(d[i+2]-194) < 30) track++;
                      if (d[i+3] > 0 && Math.abs(d[i]-201) < 30 && Math.abs(d[i+1]-42) < 30 && Math.abs(d[i+2]-42) < 30) marks++;
                    }
                    return [track, marks];""")
                check(painted and painted[0] > 200 and painted[1] > 50,
                      f"track and violation markers painted on the basemap ({painted} pixels)")
                shifted = json.loads(session_get(b, s.app + f"/cases/{case_id}/replay.json")[2])
                check(shifted["datum"] == "gcj02", "replay data in GCJ-02")
                d = [(q["lon"] - p["lon"], q["lat"] - p["lat"]) for p, q in zip(with_svg["points"], shifted["points"])]
                check(d and all(0.002 < dx < 0.008 and -0.004 < dy < 0.004 for dx, dy in d),
                      f"overlays shifted WGS 84 → GCJ-02 (first shift {d[0][0]:.5f}, {d[0][1]:.5f} degrees)")
                b.select("#replay-speed", "300")
                wait_until(b, "return document.getElementById('replay').classList.contains('ready')", what="replay ready")
                execute(b, "var p = document.getElementById('replay-pos'); p.value = 500; p.dispatchEvent(new Event('input'));")
                execute(b, "document.querySelector('section.map').scrollIntoView()")
                time.sleep(0.5)  # the tiles' fade-in animation (no event to wait on)
                b.screenshot(os.path.join(SHOTS, "21-basemap.png"))
                print("ok  - screenshot docs/screenshots/21-basemap.png")
            finally:
                b.quit()
    finally:
        tiles.close()
    shutil.rmtree(work, ignore_errors=True)
    print("reports e2e: all checks passed")


if __name__ == "__main__":
    main()
