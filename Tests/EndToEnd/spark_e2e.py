"""The Spark driver (spark/muckwatch_spark.py) in local mode against the single-box run (issue #23).

    python3 Tests/EndToEnd/spark_e2e.py --muckwatch .build/debug/muckwatch

For the bundled night and a generated v2 night (benchmarks/generate_night.py, manifests and
gate records included), as CSV and as Parquet: `spark-submit --master local[2]` runs N = 3
partitions of muckwatch into one store, and the store holds the same case ids, cases,
violations and trips as one `muckwatch analyze` over the whole night into SQLite; the merged
summary the driver prints equals that run's summary.json. A partition whose muckwatch fails
stops the job with the partition's number and muckwatch's message.

The partitions' store is a SQLite file unless MUCKWATCH_TEST_POSTGRES names a PostgreSQL
store (postgres://user:pass@host:port/db, read back with `psql`). Both of a local[2] run's
partitions write at once; `analyze` retries its one-transaction store write while another
writer holds the SQLite file past its 5 s busy timeout.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARTITIONS = 3

# What both stores are compared on: every column but the ids of the runs that wrote a row.
QUERIES = {
    "cases": "SELECT case_id, vehicle_id, company, status, departments, case_date, superseded, trip_key, "
             "trip_source_site, trip_loaded_unix, trip_disposal_site, trip_dumped_unix, trip_load_t, trip_permit_id "
             "FROM cases ORDER BY case_id",
    "violations": "SELECT case_id, ord, vehicle_id, type, start_unix, end_unix, lon, lat, source, detail "
                  "FROM violations ORDER BY case_id, ord",
    "trips": "SELECT trip_key, vehicle_id, source_site, loaded_unix, disposal_site, dump_lon, dump_lat, dumped_unix, "
             "distance_km, load_t, permit_id, case_id, manifest_id, received_t FROM trips ORDER BY trip_key",
    "manifests": "SELECT manifest_id, vehicle_id, state, trip_loaded_unix, case_id FROM manifests ORDER BY manifest_id",
}


def rows(store, sql):
    """The rows of `sql` in `store` (a SQLite file or a postgres:// URL), each value as text,
    numbers to 6 decimals (the two databases print floats differently)."""
    def text(v):
        # A number to 6 decimals without trailing zeros: psql prints a whole REAL as "25",
        # SQLite hands back 25.0, and an INTEGER column stays as it is either way.
        if v is None or v == "":
            return ""
        if isinstance(v, (int, float)) or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", str(v)):
            return ("%.6f" % float(v)).rstrip("0").rstrip(".")
        return str(v)
    if store.startswith("postgres"):
        out = subprocess.run(["psql", "-At", "-F", "\x1f", store, "-c", sql], check=True,
                             stdout=subprocess.PIPE).stdout.decode()
        return [tuple(text(v) for v in line.split("\x1f")) for line in out.splitlines()]
    with sqlite3.connect(store) as db:
        return [tuple(text(v) for v in r) for r in db.execute(sql)]


def analyze_whole(muckwatch, night, out):
    args = [muckwatch, "analyze", "--out", out, "--quiet", "--traces", night["traces"]] + night["references"]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


def spark_submit(muckwatch, night, store, work, traces=None, fmt="csv", partitions=PARTITIONS):
    summary_file = os.path.join(work, "merged-summary.json")
    args = ["spark-submit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
            "--conf", "spark.sql.shuffle.partitions=4",
            os.path.join(ROOT, "spark", "muckwatch_spark.py"), "--muckwatch", muckwatch,
            "--traces", traces or night["traces"], "--format", fmt, "--partitions", str(partitions), "--db", store,
            "--summary-out", summary_file] + night["references"]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return p.returncode, None, (p.stdout + p.stderr).decode("utf-8", "replace")
    with open(summary_file) as f:
        return 0, json.load(f), ""


def fresh_store(work, name):
    pg = os.environ.get("MUCKWATCH_TEST_POSTGRES")
    if pg:
        # One database for every night: empty it first.
        subprocess.run(["psql", pg, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True)
        return pg
    return os.path.join(work, name + ".sqlite")


def compare(label, whole_store, whole_summary, store, summary):
    failures = []
    for table, sql in QUERIES.items():
        a, b = rows(whole_store, sql), rows(store, sql)
        if not a and table != "manifests":
            failures.append("%s: the single-box run wrote no %s" % (label, table))
        if a != b:
            extra, missing = sorted(set(b) - set(a))[:3], sorted(set(a) - set(b))[:3]
            failures.append("%s: %s differ (%d vs %d rows; only Spark's: %s; only single-box: %s)"
                            % (label, table, len(a), len(b), extra, missing))
    # The whole summary, warnings included: those naming plates are each partition's share,
    # joined back by `cases summary` (PlateListWarning).
    if whole_summary != summary:
        failures.append("%s: merged summary differs:\n  spark  %s\n  single %s" % (label, summary, whole_summary))
    print("%s: %d cases, %d trips, %d fixes read — %s" % (label, summary["cases"], summary["trips"],
                                                         summary["fixes_read"], "FAIL" if failures else "same"))
    return failures


def to_parquet(csv_path, out, csv_again):
    """The traces as Parquet (every column as text, one file), written by Spark itself, and
    the same rows back as one CSV file (`csv_again`): Spark's CSV reader mends some bad rows
    (a truncated line gets empty fields), so the single-box run the Parquet run is compared
    with reads what the Parquet holds."""
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .appName("muckwatch-e2e-parquet").getOrCreate())
    spark.read.option("header", True).csv(csv_path).coalesce(1).write.mode("overwrite").parquet(out)
    folder = csv_again + ".d"
    spark.read.parquet(out).coalesce(1).write.mode("overwrite").option("header", True).csv(folder)
    spark.stop()
    part = [f for f in os.listdir(folder) if f.startswith("part-") and f.endswith(".csv")][0]
    os.replace(os.path.join(folder, part), csv_again)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--muckwatch", required=True)
    ap.add_argument("--trucks", type=int, default=60, help="the generated night's fleet")
    args = ap.parse_args()
    muckwatch = os.path.abspath(args.muckwatch)
    work = tempfile.mkdtemp(prefix="muckwatch-spark-e2e-")

    def references(d, geofences):
        pairs = [("--fences", geofences), ("--cameras", "cameras.jsonl"), ("--permits", "permits.json"),
                 ("--vehicles", "vehicles.csv"), ("--manifests", "manifests.jsonl"),
                 ("--gate-events", "gate_events.jsonl")]
        out = []
        for flag, name in pairs:
            path = name if os.path.isabs(name) else os.path.join(d, name)
            if os.path.exists(path):
                out += [flag, path]
        return out

    generated = os.path.join(work, "generated")
    subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "generate_night.py"), "--seed", "7",
                    "--trucks", str(args.trucks), "--out", generated], check=True, stdout=subprocess.DEVNULL)
    nights = {
        "bundled night": {"traces": os.path.join(ROOT, "traces", "traces.csv"),
                          "references": references(os.path.join(ROOT, "traces"), os.path.join(ROOT, "geofences"))},
        "generated night (seed 7, %d trucks)" % args.trucks: {
            "traces": os.path.join(generated, "traces.csv"),
            "references": references(generated, os.path.join(generated, "geofences"))},
    }
    failures = []
    for label, night in nights.items():
        key = re.sub(r"[^a-z0-9]+", "-", label)
        runs = [("CSV", None, "csv", night)]
        if label.startswith("generated"):
            parquet = os.path.join(work, key + ".parquet")
            as_csv = os.path.join(work, key + "-from-parquet.csv")
            to_parquet(night["traces"], parquet, as_csv)
            runs.append(("Parquet", parquet, "parquet", dict(night, traces=as_csv)))
        for kind, traces, fmt, baseline in runs:
            whole_out = os.path.join(work, key + "-" + fmt + "-whole")
            whole_summary = analyze_whole(muckwatch, baseline, whole_out)
            whole_store = os.path.join(whole_out, "muckwatch.sqlite")
            store = fresh_store(work, key + "-" + fmt)
            status, summary, output = spark_submit(muckwatch, night, store, work, traces=traces, fmt=fmt)
            if status != 0:
                failures.append("%s (%s): spark-submit failed (%d):\n%s" % (label, kind, status, output[-3000:]))
                continue
            failures += compare("%s, %s, %d partitions" % (label, kind, PARTITIONS), whole_store, whole_summary,
                                store, summary)

    # A partition's failure names the partition and carries muckwatch's own message.
    bundled = nights["bundled night"]
    broken = dict(bundled, references=bundled["references"] + ["--config", os.path.join(work, "missing-config.json")])
    status, _, output = spark_submit(muckwatch, broken, os.path.join(work, "broken.sqlite"), work, partitions=2)
    if status == 0 or not re.search(r"muckwatch failed on partition [01] \(exit 2\)", output) \
            or "missing-config.json" not in output:
        failures.append("a failing partition did not surface with its number and stderr:\n" + output[-2000:])
    else:
        print("a failing partition stops the job: %s" % re.search(r"muckwatch failed on partition [01]", output).group(0))

    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("spark_e2e: Spark local[2], %d partitions == single-box SQLite run" % PARTITIONS)


if __name__ == "__main__":
    main()
