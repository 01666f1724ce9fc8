"""MuckWatch on Apache Spark: one night (or a year) of traces re-analyzed in N partitions.

    spark-submit spark/muckwatch_spark.py --muckwatch /opt/muckwatch/bin/muckwatch \
        --traces hdfs:///lake/gps/2026-11-20/ --partitions 64 --db /shared/muckwatch.sqlite \
        --fences geofences --permits permits.json --vehicles vehicles.csv --cameras cameras.jsonl \
        --manifests manifests.jsonl --gate-events gate_events.jsonl

Spark reads the traces (CSV, or Parquet with the same column names; local, HDFS or S3 paths,
as Spark reads them), sends every row to the partition of its plate (the same FNV-1a hash as
`muckwatch analyze --partition K/N`, `plate_partition` below; docs/scale-out.md), and runs the
`muckwatch` binary once per partition: first `--span-only` (the night's first and last fix,
which manifests' closing limits are judged against), then `analyze --partition K/N
--night-span FIRST/LAST --db STORE`. All partitions write into the one store; the driver then
prints the night's summary merged from it (`muckwatch cases summary`), which equals the
summary.json of one run over the whole night.

The binary and the reference files are found on each node at the path given, else among the
files shipped with `spark-submit --files` (or `--archives` for the fences folder) under their
base name. A partition whose run fails stops the job with its number and muckwatch's stderr.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK64 = 0xFFFFFFFFFFFFFFFF

# The reference options passed through to every partition's muckwatch, as it names them.
REFERENCE_OPTIONS = ["fences", "cameras", "permits", "vehicles", "manifests", "gate-events", "config"]


def normalized_plate(plate: bytes) -> bytes:
    """The plate as muckwatch's trace readers intern it: leading spaces, trailing spaces and CR dropped."""
    return plate.lstrip(b" ").rstrip(b" \r")


def plate_hash(plate: bytes) -> int:
    """FNV-1a 64 of the normalised plate's UTF-8 bytes (`PlatePartition.hash` in MuckWatchCore)."""
    h = FNV_OFFSET
    for b in normalized_plate(plate):
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


def plate_partition(plate, count: int) -> int:
    """The partition of a row's plate among `count`; 0 for a missing, blank or non-UTF-8 plate."""
    if plate is None:
        return 0
    raw = plate.encode("utf-8") if isinstance(plate, str) else bytes(plate)
    raw = normalized_plate(raw)
    if not raw.strip(b" \t\r"):
        return 0
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return plate_hash(raw) % count


def csv_fields(line: bytes) -> list:
    """A CSV record's fields as muckwatch splits them (quoted fields without their quotes)."""
    if b'"' not in line:
        return line.split(b",")
    fields, i, n = [], 0, len(line)
    while True:
        if i < n and line[i:i + 1] == b'"':
            i += 1
            start = i
            while i < n:
                if line[i:i + 1] == b'"':
                    if line[i + 1:i + 2] == b'"':
                        i += 2
                        continue
                    break
                i += 1
            fields.append(line[start:i])
            while i < n and line[i:i + 1] not in (b",",):
                i += 1
        else:
            start = i
            while i < n and line[i:i + 1] != b",":
                i += 1
            fields.append(line[start:i])
        if i >= n:
            return fields
        i += 1


def resolve(path: str) -> str:
    """A reference file or the binary on this node: the path as given, else a shipped copy."""
    if path is None or os.path.exists(path):
        return path
    name = os.path.basename(path.rstrip("/"))
    try:
        from pyspark import SparkFiles
        shipped = SparkFiles.get(name)
        if os.path.exists(shipped):
            return shipped
    except Exception:  # not inside a Spark task, or nothing shipped under that name
        pass
    if os.path.exists(name):  # --archives unpack into the task's working directory
        return os.path.abspath(name)
    return path


class PartitionFailed(RuntimeError):
    pass


def run_muckwatch(args: list, partition: int, attempts: int = 1) -> str:
    """Runs muckwatch; its stdout, or PartitionFailed naming the partition and its stderr."""
    for attempt in range(attempts):
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode == 0:
            return p.stdout.decode("utf-8", "replace")
    raise PartitionFailed("muckwatch failed on partition %d (exit %d): %s\n%s" % (
        partition, p.returncode, " ".join(args), p.stderr.decode("utf-8", "replace").strip()))


def write_partition_files(rows, directory: str, headers: dict) -> list:
    """Writes one partition's rows (file index, row id, line bytes; in that order) as one CSV
    per input file, each under its own header, so muckwatch orders equal-time fixes as the
    single-box run does (by file, then line). Returns the files in input order."""
    os.makedirs(directory, exist_ok=True)
    files, out, current = [], None, None
    for file_index, _, line in rows:
        if file_index != current:
            if out:
                out.close()
            current = file_index
            path = os.path.join(directory, "traces-%05d.csv" % file_index)
            files.append(path)
            out = open(path, "wb")
            out.write(headers[file_index] + b"\n")
        out.write(bytes(line) + b"\n")
    if out:
        out.close()
    return files


def partition_task(options: dict, headers: dict, stage: str, night_span=None):
    """The function each Spark task runs over its partition's rows (see `main`)."""
    def task(index, rows):
        muckwatch = resolve(options["muckwatch"])
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return iter([])
        k = first[0]
        work = os.path.join(options["work"], "partition-%05d" % k)
        traces_dir = os.path.join(work, "traces")
        done_marker = os.path.join(traces_dir, ".complete")
        if os.path.exists(done_marker):  # the span stage wrote them on this node
            files = sorted(os.path.join(traces_dir, f) for f in os.listdir(traces_dir) if f.endswith(".csv"))
        else:
            shutil.rmtree(traces_dir, ignore_errors=True)
            import itertools
            files = write_partition_files(((r[1], r[2], r[3]) for r in itertools.chain([first], rows)),
                                          traces_dir, headers)
            open(done_marker, "w").close()
        refs = []
        for name in REFERENCE_OPTIONS:
            value = options.get(name.replace("-", "_"))
            if value:
                refs += ["--" + name, resolve(value)]
        for name in ("fence_coords", "trace_coords"):
            if options.get(name):
                refs += ["--" + name.replace("_", "-"), options[name]]
        base = [muckwatch, "analyze"] + refs + ["--traces"] + files + ["--out", os.path.join(work, "out"),
                                                                      "--quiet", "--threads", str(options["threads"])]
        if stage == "span":
            return iter([(k, json.loads(run_muckwatch(base + ["--span-only"], k)))])
        t0 = time.time()
        run_muckwatch(base + ["--partition", "%d/%d" % (k, options["partitions"]),
                              "--night-span", "%d/%d" % night_span, "--db", options["db"]], k, attempts=3)
        return iter([(k, time.time() - t0)])
    return task


def read_rows(spark, paths: list, fmt: str):
    """The traces as (file index, row id, line bytes, plate) with each file's header line:
    CSV lines pass through byte for byte; Parquet rows become CSV lines."""
    from pyspark.sql import functions as F
    if fmt == "parquet":
        df = spark.read.parquet(*paths)
        columns = df.columns
        header = ",".join(columns).encode()
        text = [F.coalesce(F.col("`%s`" % c).cast("string"), F.lit("")) for c in columns]
        lines = df.select(F.lit(0).alias("file_index"), F.monotonically_increasing_id().alias("id"),
                          F.concat_ws(",", *text).cast("binary").alias("line"),
                          F.col("vehicle_id").cast("string").alias("plate"))
        return lines, {0: header}
    raw = spark.read.text(paths).select(F.input_file_name().alias("file"), F.monotonically_increasing_id().alias("id"),
                                        F.col("value"))
    # Each file's first line is its header (the lowest id of the file: Spark numbers a file's
    # pieces in order); files are taken in name order.
    firsts = raw.groupBy("file").agg(F.min(F.struct("id", "value")).alias("first")).collect()
    firsts.sort(key=lambda r: r["file"])
    headers, plate_column, header_ids = {}, {}, []
    for i, r in enumerate(firsts):
        line = r["first"]["value"].encode("utf-8").lstrip(b"\xef\xbb\xbf")
        names = [f.strip(b" \t\r") for f in csv_fields(line)]
        if b"vehicle_id" not in names:
            raise SystemExit("%s: no vehicle_id column in the header %r" % (r["file"], line))
        headers[i] = line
        plate_column[i] = names.index(b"vehicle_id")
        header_ids.append(r["first"]["id"])
    files = spark.createDataFrame([(r["file"], i, plate_column[i]) for i, r in enumerate(firsts)],
                                  "file string, file_index int, plate_column int")
    body = raw.filter(~F.col("id").isin(header_ids)).join(F.broadcast(files), "file")
    # The plate field: split in the JVM for plain lines; lines with quotes are split as
    # muckwatch splits them, in Python (rare).
    plain = body.filter(~F.col("value").contains('"')).select(
        "file_index", "id", F.col("value").cast("binary").alias("line"),
        F.element_at(F.split("value", ","), F.col("plate_column") + 1).alias("plate"))
    quoted_rows = body.filter(F.col("value").contains('"')).select(
        "file_index", "id", F.col("value").cast("binary").alias("line"), "plate_column").rdd.map(
        lambda r: (r[0], r[1], r[2], _field(bytes(r[2]), r[3])))
    quoted = spark.createDataFrame(quoted_rows, "file_index int, id long, line binary, plate binary").select(
        "file_index", "id", "line", F.col("plate").cast("string").alias("plate"))
    return plain.unionByName(quoted), headers


def _field(line: bytes, k: int):
    fields = csv_fields(line)
    return fields[k] if k < len(fields) else None


def route_keys(spark, n: int) -> list:
    """For each partition k, a value that Spark's hash partitioning (Murmur3, seed 42) sends
    to shuffle partition k, so `repartition(n, route)` puts exactly partition k in task k."""
    from pyspark.sql import functions as F
    keys = {}
    rows = spark.range(0, 64 * n + 1024).select("id", F.expr("pmod(hash(id), %d)" % n).alias("k")).collect()
    for r in rows:
        keys.setdefault(r["k"], r["id"])
        if len(keys) == n:
            break
    return [keys[k] for k in range(n)]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Re-analyze traces with muckwatch on Spark, partitioned by plate.")
    ap.add_argument("--muckwatch", required=True, help="the muckwatch binary (on every node, or shipped with --files)")
    ap.add_argument("--traces", nargs="+", required=True, help="trace files or folders (CSV or Parquet)")
    ap.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--partitions", type=int, required=True, help="N: muckwatch runs, one per plate-hash partition")
    ap.add_argument("--db", required=True, help="the shared case store every partition writes into")
    for name in REFERENCE_OPTIONS:
        ap.add_argument("--" + name, required=(name == "fences"))
    ap.add_argument("--fence-coords")
    ap.add_argument("--trace-coords")
    ap.add_argument("--threads", type=int, default=1, help="muckwatch worker threads per partition (one per core of a task)")
    ap.add_argument("--work", help="local folder for the partitions' files (default: a temporary one)")
    ap.add_argument("--summary-out", help="also write the merged summary.json here")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark import StorageLevel
    spark = SparkSession.builder.appName("muckwatch").getOrCreate()
    n = args.partitions
    work = args.work or tempfile.mkdtemp(prefix="muckwatch-spark-")
    options = dict(vars(args), work=work)
    started = time.time()

    rows, headers = read_rows(spark, args.traces, args.format)
    partition_of = F.udf(lambda p: plate_partition(p, n), "int")
    # The plate → partition map is computed per distinct plate (a city's thousands, not its
    # millions of rows) and joined back in the JVM.
    plates = rows.select("plate").distinct().withColumn("k", partition_of("plate"))
    keys = route_keys(spark, n)
    route = spark.createDataFrame(list(enumerate(keys)), "k int, route long")
    routed = (rows.join(F.broadcast(plates), rows.plate.eqNullSafe(plates.plate)).drop(plates.plate)
              .join(F.broadcast(route), "k")
              .repartition(n, "route").sortWithinPartitions("file_index", "id")
              .select("k", "file_index", "id", "line")
              .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        spans = routed.rdd.mapPartitionsWithIndex(partition_task(options, headers, "span")).collect()
        firsts = [s["first"] for _, s in spans if s["first"] is not None]
        lasts = [s["last"] for _, s in spans if s["last"] is not None]
        if not firsts:
            raise SystemExit("no usable fix in the traces")
        night = (min(firsts), max(lasts))
        seconds = routed.rdd.mapPartitionsWithIndex(partition_task(options, headers, "analyze", night)).collect()
    except Exception as e:  # a task's PartitionFailed arrives wrapped in Spark's error
        text = str(e)
        at = text.find("muckwatch failed on partition")
        raise SystemExit(text[at:text.find("\n\tat ", at) if "\n\tat " in text[at:] else None] if at >= 0 else text)
    finally:
        routed.unpersist()
    print("muckwatch-spark: %d partitions analyzed in %.1f s (slowest partition %.1f s); night %d..%d"
          % (len(seconds), time.time() - started, max(s for _, s in seconds), night[0], night[1]), file=sys.stderr)
    summary = [resolve(args.muckwatch), "cases", "summary", "--db", args.db]
    if args.summary_out:
        summary += ["--out", args.summary_out]
    merged = subprocess.run(summary, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stdout.write(merged.stdout.decode("utf-8"))
    if merged.returncode != 0:
        raise SystemExit(merged.stderr.decode("utf-8", "replace"))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    spark.stop()


if __name__ == "__main__":
    main()
