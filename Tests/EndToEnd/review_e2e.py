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
Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
"""
import argparse, base64, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"FAIL: {url} did not answer within {seconds} s")


class WebDriverError(Exception):
    pass


class Browser:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--lang=en-US"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise WebDriverError(f"WebDriver {method} {path}: {e.read().decode()[:300]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url): self.s("POST", "/url", {"url": url})
    def url(self): return self.s("GET", "/url")
    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
    def find_all(self, css):
        return [e[ELEMENT] for e in self.s("POST", "/elements", {"using": "css selector", "value": css})]
    def text(self, el): return self.s("GET", f"/element/{el}/text")
    def click(self, el): self.s("POST", f"/element/{el}/click", {})
    def type(self, el, text): self.s("POST", f"/element/{el}/value", {"text": text})
    def attr(self, el, name): return self.s("GET", f"/element/{el}/attribute/{name}")
    def select(self, select_css, value):
        self.click(self.find(f"{select_css} option[value='{value}']"))
    def wait_text(self, css, predicate, seconds=15):
        """The text of `css` once it satisfies `predicate` (pages load after clicks: retry)."""
        deadline, last = time.time() + seconds, None
        while time.time() < deadline:
            try:
                last = self.text(self.find(css))
                if predicate(last):
                    return last
            except WebDriverError:
                pass
            time.sleep(0.2)
        return last
    def resize(self, w, h): self.s("POST", "/window/rect", {"width": w, "height": h})
    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))
    def quit(self):
        try: self.s("DELETE", "")
        except WebDriverError: pass


def check(cond, message):
    if not cond:
        raise SystemExit("FAIL: " + message)
    print("ok  -", message)


def night_inputs(night):
    """The analyze flags for the bundled sample (files under traces/) or a shared-sample-style night;
    manifests and gate records only when the night has them (contract v2 is optional)."""
    base = "" if night else "traces/"
    flags = ["--fences", "geofences", "--traces", base + "traces.csv", "--cameras", base + "cameras.jsonl",
             "--permits", base + "permits.json", "--vehicles", base + "vehicles.csv"]
    folder = night or ROOT
    for flag, names in (("--manifests", ("manifests.jsonl", "manifests.json")),
                        ("--gate-events", ("gate_events.jsonl", "gate_events.json"))):
        found = [n for n in names if os.path.exists(os.path.join(folder, base + n))]
        if found:
            flags += [flag, base + found[0]]
    return flags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muckwatch", default=os.path.join(ROOT, ".build/debug/muckwatch"))
    ap.add_argument("--screenshots", default=os.path.join(ROOT, "docs/screenshots"))
    ap.add_argument("--night", help="a night folder laid out like the shared samples, instead of the bundled one")
    args = ap.parse_args()
    args.muckwatch = os.path.abspath(args.muckwatch)
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            raise SystemExit(f"FAIL: {tool} not found: apt-get install -y chromium chromium-driver")
    os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="muckwatch-e2e-")
    procs = []
    try:
        subprocess.run([args.muckwatch, "analyze"] + night_inputs(args.night) + ["--out", work],
                       cwd=args.night or ROOT, check=True, stdout=subprocess.DEVNULL)
        db = os.path.join(work, "muckwatch.sqlite")
        subprocess.run([args.muckwatch, "users", "add", "wang", "--role", "officer", "--department",
                        "city_management", "--db", db], input=b"wang-officer-1\n", check=True, stdout=subprocess.DEVNULL)
        app_port, driver_port = free_port(), free_port()
        procs.append(subprocess.Popen([args.muckwatch, "serve", "--db", db, "--port", str(app_port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(["chromedriver", f"--port={driver_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        app = f"http://127.0.0.1:{app_port}"
        wait_for(app + "/healthz")
        wait_for(f"http://127.0.0.1:{driver_port}/status")
        b = Browser(driver_port)
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
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try: p.wait(timeout=10)
            except subprocess.TimeoutExpired: p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("review app end-to-end: all steps passed; screenshots in", args.screenshots)


if __name__ == "__main__":
    main()
