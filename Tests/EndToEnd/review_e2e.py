#!/usr/bin/env python3
"""End-to-end test of the review app in a real headless Chromium, driven over W3C WebDriver.

Analyzes the bundled sample night into a fresh store, creates an officer, starts `muckwatch serve`
and chromedriver, then walks login → case list → filter → case detail → dismiss with a reason →
audit row visible → statistics → manifests view (→ a manifest's case, when the night has
manifests), saving a screenshot of each step into docs/screenshots/ (or the folder given with
--screenshots). The bundled sample's manifests and gate records are passed when traces/ holds them.
--night DIR analyzes another night laid out like the shared samples (geofences/, traces.csv, …)
instead. Standard library only: the WebDriver protocol is plain JSON over HTTP.

Usage: Tests/EndToEnd/review_e2e.py --muckwatch .build/debug/muckwatch [--night DIR]
The browser, the server and the night's flags come from browser.py, which other walks share.
"""
import argparse, os

from browser import Browser, ReviewServer, check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muckwatch", default=os.path.join(ROOT, ".build/debug/muckwatch"))
    ap.add_argument("--screenshots", default=os.path.join(ROOT, "docs/screenshots"))
    ap.add_argument("--night", help="a night folder laid out like the shared samples, instead of the bundled one")
    args = ap.parse_args()
    args.muckwatch = os.path.abspath(args.muckwatch)
    os.makedirs(args.screenshots, exist_ok=True)
    with ReviewServer(args.muckwatch, args.night) as server:
        app = server.app
        b = Browser(server.driver_port)
        try:
            shot = lambda name: b.screenshot(os.path.join(args.screenshots, name))
            # Login: any page sends a stranger to the login form.
            b.go(app + "/cases")
            check("/login" in b.url(), "an anonymous visit is sent to the login page")
            b.type(b.find("#user"), "wang")
            b.type(b.find("#password"), "wrong-password")
            b.click(b.find("#login"))
            check("Wrong user name" in (b.wait_text("#login-error", lambda t: "Wrong" in t) or ""),
                  "a wrong password is refused")
            b.type(b.find("#password"), "wang-officer-1")
            shot("01-login.png")
            b.click(b.find("#login"))
            check("wang" in (b.wait_text("#who", lambda t: "wang" in t) or ""), "login shows the officer's name")
            check(b.url().endswith("/cases"), "login lands on the case list")

            # List: only city_management cases, counts per status.
            rows = b.find_all("tr.case-row")
            check(len(rows) > 0, f"the officer sees {len(rows)} cases")
            check(all("city_management" in b.text(r) for r in rows), "every listed case is routed to the officer's department")
            shot("02-case-list.png")

            # Filter by the first row's first violation type.
            first_type = b.attr(b.find("tr.case-row .vt"), "class").split("vt-")[1].split()[0]
            b.select("#f-type", first_type)
            b.click(b.find("#apply"))
            b.wait_text("h1", lambda t: True)
            check(f"type={first_type}" in b.url(), f"the filter is in the URL (type={first_type})")
            rows = b.find_all("tr.case-row")
            check(len(rows) > 0 and all(b.find_all(f"tr.case-row .vt-{first_type}")) and
                  len(b.find_all(f"tr.case-row .vt-{first_type}")) >= len(rows),
                  f"every filtered row has a {first_type} violation")
            shot("03-filtered.png")

            # Detail: chain, map, timeline, evidence.
            link = b.find("a.case-link")
            case_id = b.text(link)
            b.click(link)
            b.wait_text("#case-id", lambda t: case_id in t)
            check(b.url().endswith("/cases/" + case_id), f"the case page of {case_id} opens")
            check(len(b.find_all("#chain .link")) >= 1, "the source → route → dump chain is shown")
            check(len(b.find_all("#case-map polyline")) >= 1, "the map draws the track")
            check(len(b.find_all("#timeline li")) >= 2, "the timeline lists the trip's events")
            check(len(b.find_all("article.violation")) >= 1, "each violation is shown with its evidence")
            b.resize(1400, 2400)
            shot("04-case-detail.png")

            # Dismiss without a reason is impossible; with one, it is recorded.
            b.type(b.find("#note-dismissed"), "Camera misread the plate; driver had a valid permit")
            b.click(b.find("#do-dismissed"))
            check(b.wait_text("#case-status", lambda t: t == "dismissed") == "dismissed", "the case is dismissed")
            audit = [b.text(r) for r in b.find_all("tr.audit-row")]
            check(any("wang" in a and "dismissed" in a and "Camera misread" in a for a in audit),
                  "the audit trail shows who dismissed it, from which status and why")
            shot("05-dismissed-audit.png")

            b.resize(1400, 1600)
            b.go(app + "/stats")
            b.wait_text("h1", lambda t: "Statistics" in t)
            check(len(b.find_all("section.stat svg")) >= 1, "the statistics page draws its charts")
            shot("06-statistics.png")

            # Manifests: the view loads from the menu whether or not the night has manifests; with
            # some, a manifest the officer's department has a case for leads to that case.
            b.click(b.find("#nav-manifests"))
            b.wait_text("h1", lambda t: "Manifests" in t)
            check(b.url().endswith("/manifests"), "the menu leads to the manifests view")
            rows = b.find_all("tr.manifest-row")
            if not rows:
                check(b.find_all("#manifest-table td.empty") != [], "a night without manifests lists none")
                print("note: this night has no manifests; the walk did not follow one to its case")
            else:
                check(len(b.find_all("#state-tabs a")) == 5, f"{len(rows)} manifests listed under 5 state tabs")
                # The mismatched tab, when the night has such manifests: a filter kept in the URL.
                if b.text(b.find("#state-tabs a[data-state='mismatched'] b")) != "0":
                    b.click(b.find("#state-tabs a[data-state='mismatched']"))
                    b.wait_text("h1", lambda t: True)
                    check("state=mismatched" in b.url(), "the state tab is in the URL (state=mismatched)")
                    rows = b.find_all("tr.manifest-row")
                    check(len(rows) > 0 and len(b.find_all("tr.manifest-row .ms-mismatched")) == len(rows),
                          f"every one of the {len(rows)} rows is mismatched")
                shot("07-manifests.png")
                links = b.find_all("a.manifest-case")
                check(len(links) > 0, "some manifest links to a case the officer may open")
                link = links[0]
                case_id = b.text(link)
                manifest_id = b.text(b.find(f"tr.manifest-row:has(a[href='/cases/{case_id}']) td.manifest-id"))
                b.click(link)
                b.wait_text("#case-id", lambda t: case_id in t)
                check(b.url().endswith("/cases/" + case_id), f"manifest {manifest_id} leads to case {case_id}")
                check(len(b.find_all(f"#manifests tr[id='cm-{manifest_id}']")) == 1,
                      f"the case page shows manifest {manifest_id} with its tonnes")
                b.resize(1400, 2600)
                shot("08-case-manifest.png")
                b.go(app + "/stats")
                b.wait_text("h1", lambda t: "Statistics" in t)
                check(len(b.find_all("#chain-figures .kpi")) >= 9, "the statistics page shows the chain's figures")
        finally:
            b.quit()
    print("review app end-to-end: all steps passed; screenshots in", args.screenshots)


if __name__ == "__main__":
    main()
