#!/usr/bin/env python3
"""The review app on phones (issue #26), in a real headless Chromium with mobile emulation at 360, 390
and 768 px wide and on a desktop window: no page scrolls sideways (document.documentElement.scrollWidth
<= window.innerWidth) on the case list, a case, the handling form, the statistics, My cases and the
overdue list; Log out stays on screen; the list is cards on a phone and the table on a desk. On the
way an officer dispatches a case, uploads two real photos with EXIF and records the outcome, and a
supervisor evaluates it. Screenshots go to docs/screenshots/ (or --screenshots).

    python3 Tests/EndToEnd/mobile_e2e.py --muckwatch .build/debug/muckwatch
"""
import argparse, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import ROOT, Browser, ReviewServer, check

PHOTOS = os.path.join(ROOT, "Tests/Fixtures/photos")
WIDTHS = (360, 390, 768)


def no_sideways_scroll(b, what, width):
    """A phone widens its layout viewport to fit a page that overflows (innerWidth grows with it), so
    both are compared with the device's own width."""
    w = b.execute("return [document.documentElement.scrollWidth, window.innerWidth];")
    check(w[0] <= w[1] <= width, f"{what}: no horizontal scrolling (scrollWidth {w[0]} <= innerWidth {w[1]} <= {width})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muckwatch", required=True)
    ap.add_argument("--screenshots", default=os.path.join(ROOT, "docs/screenshots"))
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    shot = lambda b, name: b.screenshot(os.path.join(args.screenshots, name))
    with ReviewServer(args.muckwatch) as server:
        subprocess.run([args.muckwatch, "users", "add", "li", "--role", "supervisor", "--db", server.db],
                       input=b"li-supervisor-1\n", check=True, stdout=subprocess.DEVNULL)
        app = server.app

        # At a desk: wang dispatches two cases, photographs and handles one; li evaluates it.
        b = Browser(server.driver_port, size=(1400, 1000))
        try:
            server.login(b)
            b.go(app + "/cases?department=city_management&status=open")
            ids = [b.text(e) for e in b.find_all("a.case-link")][:2]
            check(len(ids) == 2, f"two open city_management cases to work on: {ids}")
            handled, waiting = ids
            for cid in ids:
                b.go(app + f"/cases/{cid}")
                b.click(b.find("#do-dispatched"))
                b.wait_text("#case-status", lambda t: t == "dispatched")
            b.go(app + f"/cases/{handled}")
            b.type(b.find("#photo-input"), os.path.join(PHOTOS, "roadside.jpg") + "\n" + os.path.join(PHOTOS, "heap.png"))
            b.click(b.find("#photo-submit"))
            taken = b.wait_text("#photos", lambda t: "2026:11:21 08:15:30" in t and "2026:11:21 08:20:05" in t)
            check("30.80781" in taken and "108.4082" in taken, "both photos shown with their EXIF time and GPS")
            b.select("#h-outcome", "penalty_issued")
            b.type(b.find("#h-penalty"), "2000")
            b.type(b.find("#h-document"), "万城管罚〔2026〕118号")
            b.type(b.find("#h-note"), "Driver admitted the dump; site cleaned the same morning.")
            b.click(b.find("#h-submit"))
            check(b.wait_text("#case-status", lambda t: t == "resolved") == "resolved", "handling recorded: case resolved")
            b.go(app + "/cases")
            check(b.execute("return getComputedStyle(document.querySelector('#case-table thead')).display;")
                  == "table-header-group", "desktop: the case list is still a table")
            for path in ("/cases", f"/cases/{handled}", f"/cases/{waiting}", "/stats", "/my", "/overdue", "/manifests"):
                b.go(app + path)
                no_sideways_scroll(b, f"desktop 1400 px {path}", 1400)
            b.go(app + f"/cases/{handled}")
            b.execute("document.getElementById('field').scrollIntoView(); return 0;")
            shot(b, "mobile-desktop-field.png")
            b.click(b.find(".logout button"))
            b.wait_text("#login", lambda t: "Log in" in t)
            server.login(b, "li", "li-supervisor-1")
            b.go(app + f"/cases/{handled}")
            b.click(b.find("#e-proper"))
            check(b.wait_text("#case-status", lambda t: t == "closed") == "closed", "supervisor closed it as handled properly")
        finally:
            b.quit()

        # On phones: every page, no sideways scrolling, header and list as phones need them.
        for width in WIDTHS:
            b = Browser(server.driver_port, mobile={"deviceMetrics": {"width": width, "height": 800, "pixelRatio": 2}})
            try:
                b.go(app + "/login")
                no_sideways_scroll(b, f"{width} px /login", width)
                server.login(b)
                for path in ("/cases", f"/cases/{handled}", f"/cases/{waiting}", "/stats", "/my", "/overdue", "/manifests"):
                    b.go(app + path)
                    no_sideways_scroll(b, f"{width} px {path}", width)
                b.go(app + "/cases")
                r = b.execute("var r = document.querySelector('.logout button').getBoundingClientRect();"
                              "return [r.left, r.right, window.innerWidth];")
                check(0 <= r[0] and r[1] <= r[2], f"{width} px: Log out on screen ({r[0]:.0f}–{r[1]:.0f} of {r[2]})")
                cards = width < 761
                shown = b.execute("return getComputedStyle(document.querySelector('#case-table thead')).display;")
                check((shown == "none") == cards, f"{width} px: case list as {'cards' if cards else 'a table'}")
                tabs = b.execute("var t = document.getElementById('status-tabs'); return [t.scrollWidth, t.clientWidth,"
                                 " getComputedStyle(t).overflowX];")
                check(tabs[0] <= tabs[1] or tabs[2] == "auto", f"{width} px: status tabs fit or scroll inside themselves {tabs}")
                if cards:
                    h = b.execute("return document.querySelector('#filters button').getBoundingClientRect().height;")
                    check(h >= 44, f"{width} px: thumb-size buttons ({h:.0f} px)")
                if width == 390:
                    shot(b, "mobile-390-cases.png")
                    b.go(app + f"/cases/{waiting}")
                    shot(b, "mobile-390-case.png")
                    b.execute("document.getElementById('field').scrollIntoView(); return 0;")
                    shot(b, "mobile-390-handling-form.png")
                    b.go(app + f"/cases/{handled}")
                    b.execute("document.getElementById('photos').scrollIntoView(); return 0;")
                    shot(b, "mobile-390-photos.png")
                    b.go(app + "/my")
                    check(waiting in b.text(b.find("#my-cases")), "My cases lists the dispatched case")
                    check(b.attr(b.find("#my-cases a.map-app"), "href").startswith("geo:"), "map-app link is a geo: URI")
                    # The phone shares a position (Chromium's DevTools protocol stands in for its GPS):
                    # the served script writes the distance to the dump point.
                    cdp = lambda cmd, params: b.s("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params})
                    cdp("Browser.grantPermissions", {"origin": app, "permissions": ["geolocation"]})
                    cdp("Emulation.setGeolocationOverride", {"latitude": 30.8078, "longitude": 108.4082, "accuracy": 20})
                    b.go(app + "/my")
                    b.click(b.find("#near"))
                    distance = b.wait_text(f"#my-{waiting} .distance", lambda t: t.endswith("km") or t.endswith(" m"))
                    check(distance and (distance.endswith("km") or distance.endswith(" m")),
                          f"distance from the shared position shown: {distance!r}")
                    check("nearest first" in b.text(b.find("#near-status")), "cards re-ordered nearest first")
                    shot(b, "mobile-390-my-cases.png")
                    b.go(app + "/stats")
                    b.execute("document.getElementById('handling-stats').scrollIntoView(); return 0;")
                    shot(b, "mobile-390-stats-handling.png")
                if width == 360:
                    shot(b, "mobile-360-cases.png")
            finally:
                b.quit()
    print("mobile end-to-end: all steps passed; screenshots in", args.screenshots)


if __name__ == "__main__":
    main()
