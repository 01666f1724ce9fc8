#!/usr/bin/env python3
"""How fast the review app answers on a store of 100k cases.

Clones the cases of an analyzed store (default: out/sample/muckwatch.sqlite from scripts/sample)
into a new store until it holds --cases cases spread over many days, starts `muckwatch serve` on it,
logs in and times the pages officers use most. Prints a table and writes
benchmarks/results/review-<cases>.json.

Usage: benchmarks/review_100k.py [--source out/sample/muckwatch.sqlite] [--cases 100000]
"""
import argparse, json, os, re, shutil, socket, sqlite3, statistics, subprocess, tempfile, time, urllib.parse, urllib.request
import http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def grow(src, dst, target):
    shutil.copy(src, dst)
    db = sqlite3.connect(dst)
    base = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    copies = max(0, (target - base + base - 1) // base)
    cols = [r[1] for r in db.execute("PRAGMA table_info(cases)")]
    vcols = [r[1] for r in db.execute("PRAGMA table_info(violations)") if r[1] != "id"]
    with db:
        db.execute("CREATE TEMP TABLE base AS SELECT case_id FROM cases")
        for k in range(1, copies + 1):
            suffix = f"-{k:05d}"
            sel = ", ".join("case_id || '%s'" % suffix if c == "case_id" else
                            f"case_day - {k % 365}" if c == "case_day" else
                            f"date(case_date, '-{k % 365} days')" if c == "case_date" else c for c in cols)
            db.execute(f"INSERT INTO cases ({', '.join(cols)}) SELECT {sel} FROM cases WHERE case_id IN base")
            db.execute(f"INSERT INTO case_departments SELECT case_id || '{suffix}', department, ord FROM case_departments "
                       "WHERE case_id IN base")
            vsel = ", ".join("case_id || '%s'" % suffix if c == "case_id" else c for c in vcols)
            db.execute(f"INSERT INTO violations ({', '.join(vcols)}) SELECT {vsel} FROM violations WHERE case_id IN base")
    n = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    db.execute("ANALYZE")
    db.close()
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=os.path.join(ROOT, "out/sample/muckwatch.sqlite"))
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--muckwatch", default=os.path.join(ROOT, ".build/release/muckwatch"))
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--keep", help="also keep the grown store at this path")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="muckwatch-review-bench-")
    db = os.path.join(work, "muckwatch.sqlite")
    t0 = time.time()
    n = grow(args.source, db, args.cases)
    print(f"store with {n} cases built in {time.time() - t0:.1f} s")
    if args.keep:
        shutil.copy(db, args.keep)
    subprocess.run([args.muckwatch, "users", "add", "bench", "--role", "supervisor", "--db", db],
                   input=b"bench-password-1\n", check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    server = subprocess.Popen([args.muckwatch, "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try: urllib.request.urlopen(base + "/healthz"); break
            except Exception: time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
        opener.open(base + "/login", urllib.parse.urlencode(
            {"user": "bench", "password": "bench-password-1", "csrf": csrf, "next": "/cases"}).encode()).read()
        some = sqlite3.connect(db).execute("SELECT case_id, company, vehicle_id FROM cases LIMIT 1 OFFSET 5000").fetchone()
        pages = {
            "list, newest first": "/cases",
            "list, page 1000": "/cases?page=1000",
            "list, type filter": "/cases?type=no_permit",
            "list, status+department": "/cases?status=open&department=traffic_police",
            "list, company sorted": "/cases?company=" + urllib.parse.quote(some[1] or "") + "&sort=vehicle&dir=asc",
            "list, vehicle": "/cases?vehicle=" + urllib.parse.quote(some[2]),
            "case detail": "/cases/" + some[0],
            "statistics": "/stats",
        }
        results = {}
        for name, path in pages.items():
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                body = opener.open(base + path).read()
                times.append((time.perf_counter() - t) * 1000)
            assert b"Log in" not in body[:2000] or path == "/login", f"{path}: not logged in"
            results[name] = {"path": path, "p50_ms": round(statistics.median(times), 1),
                             "max_ms": round(max(times), 1), "bytes": len(body)}
            print(f"{name:28s} p50 {results[name]['p50_ms']:7.1f} ms   max {results[name]['max_ms']:7.1f} ms")
        os.makedirs(os.path.join(ROOT, "benchmarks/results"), exist_ok=True)
        out = os.path.join(ROOT, f"benchmarks/results/review-{n}.json")
        with open(out, "w") as f:
            json.dump({"cases": n, "repeat": args.repeat, "pages": results,
                       "date": time.strftime("%Y-%m-%d")}, f, indent=2)
        print("written", out)
    finally:
        server.terminate(); server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
