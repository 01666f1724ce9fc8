"""What the end-to-end tests of the review app share: free ports, waiting for a server, a W3C WebDriver
client for headless Chromium (standard library only: the protocol is plain JSON over HTTP), the analyze
flags of a night, and `ReviewServer`, which analyzes a night into a fresh store, adds an officer and starts
`muckwatch serve` and chromedriver.

Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
"""
import base64, json, os, shutil, socket, subprocess, tempfile, time, urllib.request, urllib.error

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
    def __init__(self, port, size=(1400, 1000), mobile=None):
        """`mobile`, e.g. {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}}, emulates a phone."""
        self.base = f"http://127.0.0.1:{port}"
        options = {"binary": shutil.which("chromium") or "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            f"--window-size={size[0]},{size[1]}", "--lang=en-US"]}
        if mobile:
            options["mobileEmulation"] = mobile
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}
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
    def execute(self, script, *args):
        """Runs `script` (a function body: `return ...`) in the page and returns its value."""
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})
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


class ReviewServer:
    """A night analyzed into a fresh store, officer `wang` (city_management, password `wang-officer-1`)
    added, `muckwatch serve` and chromedriver started; `with ReviewServer(muckwatch) as s:` then s.app,
    s.db, s.driver_port, s.work. Everything is stopped and removed on exit."""

    def __init__(self, muckwatch, night=None, serve_args=()):
        self.muckwatch, self.night, self.serve_args = muckwatch, night, list(serve_args)
        self.procs = []

    def __enter__(self):
        for tool in ("chromium", "chromedriver"):
            if not shutil.which(tool):
                raise SystemExit(f"FAIL: {tool} not found: apt-get install -y chromium chromium-driver")
        self.work = tempfile.mkdtemp(prefix="muckwatch-e2e-")
        try:
            subprocess.run([self.muckwatch, "analyze"] + night_inputs(self.night) + ["--out", self.work],
                           cwd=self.night or ROOT, check=True, stdout=subprocess.DEVNULL)
            self.db = os.path.join(self.work, "muckwatch.sqlite")
            subprocess.run([self.muckwatch, "users", "add", "wang", "--role", "officer", "--department",
                            "city_management", "--db", self.db], input=b"wang-officer-1\n", check=True,
                           stdout=subprocess.DEVNULL)
            app_port, self.driver_port = free_port(), free_port()
            self.procs.append(subprocess.Popen([self.muckwatch, "serve", "--db", self.db, "--port", str(app_port)]
                                               + self.serve_args,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            self.procs.append(subprocess.Popen(["chromedriver", f"--port={self.driver_port}"],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            self.app = f"http://127.0.0.1:{app_port}"
            wait_for(self.app + "/healthz")
            wait_for(f"http://127.0.0.1:{self.driver_port}/status")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try: p.wait(timeout=10)
            except subprocess.TimeoutExpired: p.kill()
        shutil.rmtree(self.work, ignore_errors=True)
        return False

    def login(self, b, user="wang", password="wang-officer-1"):
        """Logs browser `b` in through the form (the case list is where login lands)."""
        b.go(self.app + "/login")
        b.type(b.find("#user"), user)
        b.type(b.find("#password"), password)
        b.click(b.find("#login"))
        b.wait_text("#who", lambda t: user in t)
