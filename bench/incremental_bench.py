"""Incremental upsert vs full rewrite, on generated data (driven by bench/incremental.ts).

1. Generates N orders over D days as raw CSV (plus the dimensions) and runs
   the rendered batch job: curated orders with one partition per day.
2. Drops the same delta (a share of N as JSON lines: new orders on the last
   two days, updates of orders from the last five days, a tenth of them moved
   to the next day) into three lakes, and after a warm-up run times (the
   first two --repeat times, alternating, each on a fresh copy; medians):
   - the incremental job as rendered (rewrites touched partitions only);
   - baseline 1: the same job with its upsert swapped for a full rewrite of
     curated orders (read every row, merge the delta, write every partition);
     every other step is the same code, so this ratio isolates the upsert;
   - baseline 2: rebuilding curated from all raw input (the batch job over
     the CSV drops, then the feed), what a pipeline without upserts does.
   With ``--iceberg-scripts`` (the scripts rendered with orders as an
   Iceberg table) a third way is timed in the same alternation:
   - Iceberg: the same incremental job upserting with one MERGE INTO commit
     (copy-on-write), on an Iceberg table the Iceberg batch job wrote from the
     same raw files; each timed run starts from the same snapshot (the table
     is rolled back to it and the run's manifest removed).
3. Checks every way ends with identical curated rows, and prints timings,
   ratios, partitions rewritten vs in the table, and data files rewritten
   and bytes written by each way.

Not a test: numbers depend on the machine and its load. Target ratio <= 0.2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

from incremental_bench_iceberg import IcebergWay, data_files, file_churn, load

END = dt.datetime(2024, 4, 1, tzinfo=dt.timezone.utc)
"""Orders end just before this instant: the last day is 2024-03-31."""
NOW = "2024-04-01T06:00:00Z"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scripts", required=True, help="folder with the rendered job scripts and lakehouse_etl.zip")
    parser.add_argument("--work", required=True, help="scratch folder for the lakes")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--delta", type=float, default=0.01, help="delta size as a share of --orders")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--iceberg-scripts", help="scripts rendered with orders as an Iceberg table: adds the MERGE INTO way")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each way, alternating, on fresh copies; medians reported"
    )
    return parser.parse_args()


def generate_raw(lake: Path, orders: int, days: int, rng: random.Random) -> list:
    """Dimensions and `orders` CSV orders spread evenly over `days` days ending at END."""
    (lake / "raw/customers").mkdir(parents=True)
    (lake / "raw/products").mkdir(parents=True)
    (lake / "raw/orders").mkdir(parents=True)
    regions = ["NA", "EU", "APAC", "LATAM"]
    with open(lake / "raw/customers/customers.csv", "w") as out:
        out.write("customer_id,name,email,region,signup_date\n")
        for i in range(2000):
            out.write(f"c{i},Customer {i},c{i}@example.com,{regions[i % 4]},2023-01-01\n")
    prices = [round(rng.uniform(1, 200), 2) for _ in range(300)]
    with open(lake / "raw/products/products.csv", "w") as out:
        out.write("product_id,name,category,unit_price\n")
        for i, price in enumerate(prices):
            out.write(f"p{i},Product {i},cat{i % 12},{price:.2f}\n")
    start = END - dt.timedelta(days=days)
    span = days * 86400
    stamps = []
    files = 8
    handles = [open(lake / f"raw/orders/orders_{i:02d}.csv", "w") for i in range(files)]
    try:
        for h in handles:
            h.write("order_id,customer_id,product_id,order_ts,quantity,unit_price,revenue\n")
        for i in range(orders):
            ts = start + dt.timedelta(seconds=(i * span) // orders)
            product = rng.randrange(len(prices))
            quantity = rng.randint(1, 5)
            price = prices[product]
            stamps.append(ts)
            handles[i % files].write(
                f"o{i},c{rng.randrange(2000)},p{product},{ts.strftime('%Y-%m-%dT%H:%M:%SZ')},{quantity},{price:.2f},{quantity * price:.2f}\n"
            )
    finally:
        for h in handles:
            h.close()
    return prices, stamps


def generate_delta(lake: Path, orders: int, share: float, prices: list, stamps: list, rng: random.Random) -> None:
    """New orders on the last two days (90%) and updates of orders from the last five days (10%)."""
    size = max(1, int(orders * share))
    updates = size // 10
    recent = [i for i in range(len(stamps)) if stamps[i] >= END - dt.timedelta(days=5)]
    folder = lake / "raw/orders_incremental/2024/04/01"
    folder.mkdir(parents=True)
    ingested = "2024-04-01T01:00:00Z"
    with open(folder / "delta.json", "w") as out:
        for n in range(size - updates):
            ts = END - dt.timedelta(seconds=1 + rng.randrange(2 * 86400 - 1))
            out.write(_json_order(f"n{n}", ts, rng, prices, ingested))
        for i in rng.sample(recent, updates):
            ts = stamps[i] + (dt.timedelta(days=1) if rng.random() < 0.1 else dt.timedelta(0))
            out.write(_json_order(f"o{i}", min(ts, END - dt.timedelta(seconds=1)), rng, prices, ingested))


def _json_order(order_id: str, ts: dt.datetime, rng: random.Random, prices: list, ingested: str) -> str:
    product = rng.randrange(len(prices))
    quantity = rng.randint(1, 5)
    return json.dumps(
        {
            "order_id": order_id,
            "customer_id": f"c{rng.randrange(2000)}",
            "product_id": f"p{product}",
            "order_ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "quantity": quantity,
            "unit_price": prices[product],
            "revenue": round(quantity * prices[product], 2),
            "ingested_at": ingested,
        }
    ) + "\n"


def full_rewrite(etl):
    """An upsert that rebuilds the whole curated table: the baseline."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    def upsert(spark, lake, dataset, winners, incoming):
        table_dir = lake.curated_dir(dataset.table)
        existing = etl.curated_files(lake, dataset)
        current = etl.read_table(spark, lake, dataset, existing).withColumn("_incoming", F.lit(0))
        incoming_rows = winners.select(*dataset.columns, *dataset.partition_names).withColumn("_incoming", F.lit(1))
        window = Window.partitionBy(*dataset.primary_key).orderBy(
            F.col(dataset.order_by).desc_nulls_last(), F.col("_incoming").desc()
        )
        merged = (
            current.unionByName(incoming_rows)
            .withColumn("_rank", F.row_number().over(window))
            .where("_rank = 1")
            .drop("_rank", "_incoming")
        )
        staging = table_dir.rstrip("/") + "__rebuild/"
        merged.repartition(*dataset.partition_names).write.mode("overwrite").partitionBy(
            *dataset.partition_names
        ).parquet(lake.path(staging))
        lake.delete(f.path for f in existing)
        jvm = spark.sparkContext._jvm
        fs = jvm.org.apache.hadoop.fs.Path(lake.path(table_dir)).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        fs.delete(jvm.org.apache.hadoop.fs.Path(lake.path(table_dir)), True)
        fs.rename(jvm.org.apache.hadoop.fs.Path(lake.path(staging)), jvm.org.apache.hadoop.fs.Path(lake.path(table_dir)))
        after = etl.curated_files(lake, dataset)
        partitions = sorted({etl.partition_of(lake, dataset, f) for f in after})
        return etl.UpsertResult(
            rows_written=sum(incoming.values()),
            partitions_written=partitions,
            partitions_in_table=len(partitions),
            files_written=len(after),
            files_removed=len(existing),
        )

    return upsert


def main() -> None:
    args = parse_args()
    scripts, work = Path(args.scripts), Path(args.work)
    sys.path.insert(0, str(scripts / "lakehouse_etl.zip"))  # the library as Glue imports it
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "glue_local"))
    import iceberg_local
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if args.iceberg_scripts:
        for key, value in iceberg_local.spark_conf().items():
            builder = builder.config(key, value)
    spark = (
        builder.master("local[2]")
        .appName("lakehouse-bench-incremental")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "6g")
        # C1 only, as the local runs and the tests: with C2 this JVM (OpenJDK 17.0.15) crashed twice
        # (SIGSEGV in SymbolTable::do_lookup, loading a janino-generated class) at the first Iceberg
        # MERGE over 1M rows.
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC -XX:TieredStopAtLevel=1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    batch = load(scripts / "batch_job.py", "bench_batch_job")
    incremental = load(scripts / "incremental_job.py", "bench_incremental_job")
    import lakehouse_etl as etl

    rng = random.Random(args.seed)
    base = work / "base"
    t = time.perf_counter()
    prices, stamps = generate_raw(base, args.orders, args.days, rng)
    print(f"generated {args.orders:,} orders over {args.days} days in {time.perf_counter() - t:.1f}s", flush=True)

    t = time.perf_counter()
    report = batch.run(spark, str(base), "bench-batch", "bench-batch", NOW)
    orders = report["datasets"]["orders"]
    print(
        f"batch: {orders['rows_written']:,} orders into {orders['partitions_in_table']} partitions "
        f"in {time.perf_counter() - t:.1f}s",
        flush=True,
    )

    iceberg = None
    if args.iceberg_scripts:
        iceberg = IcebergWay(spark, Path(args.iceberg_scripts), work / "iceberg", base, etl, NOW)
        print(f"iceberg batch: {iceberg.batch_seconds:.1f}s", flush=True)

    selective, rewrite, rebuild = work / "selective", work / "rewrite", work / "rebuild"
    for lake in (selective, rewrite):
        shutil.copytree(base, lake)
    shutil.copytree(base / "raw", rebuild / "raw")
    for lake in (selective, rewrite, rebuild) + ((iceberg.lake,) if iceberg else ()):
        generate_delta(lake, args.orders, args.delta, prices, stamps, random.Random(args.seed + 1))

    # Warm the JVM for the code every path shares (JSON parsing, validation, merging) on a
    # throwaway copy, so no timed run pays for first-use compilation.
    warm = work / "warm-up"
    shutil.copytree(base, warm)
    generate_delta(warm, 10_000, 0.01, prices, stamps, random.Random(args.seed + 2))
    incremental.run(spark, str(warm), "bench-warm-up", "bench-warm-up", NOW)
    shutil.rmtree(warm)

    original = etl.upsert
    upsert_seconds = {}

    def timed(name, upsert):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return upsert(*args, **kwargs)
            finally:
                upsert_seconds[name] = time.perf_counter() - start

        return run

    def fresh(lake: Path) -> None:
        shutil.rmtree(lake, ignore_errors=True)
        shutil.copytree(base, lake)
        generate_delta(lake, args.orders, args.delta, prices, stamps, random.Random(args.seed + 1))

    # Each way runs --repeat times on a fresh copy of the same lake and delta, the two ways
    # alternating, so neither gets the warmer JVM; the medians are reported.
    ways = ["incremental", "rewrite"] + (["iceberg"] if iceberg else [])
    samples = {name: [] for name in ways}
    upsert_samples = {name: [] for name in ways}
    churn = {}

    def run_incremental(name: str, upsert, lake: Path, job=incremental, database=None):
        """One incremental job run with ``upsert`` in place of the library's; returns the orders counts.

        Swapped where ``publish`` looks it up (the ``publishing`` module's own name for it), so the job runs it.
        """
        etl.publishing.upsert = timed(name, upsert)
        before = data_files(lake / "curated/orders")
        try:
            t = time.perf_counter()
            orders = job.run(spark, str(lake), f"bench-{name}", f"bench-{name}", NOW, database)["datasets"]["orders"]
            samples[name].append(time.perf_counter() - t)
            churn[name] = file_churn(before, data_files(lake / "curated/orders"))
            return orders
        finally:
            etl.publishing.upsert = original

    if iceberg:  # its first MERGE pays for loading Iceberg's write path: untimed, then rolled back
        iceberg.run(run_incremental, original, churn)
        iceberg.reset()
        samples["iceberg"].clear()
    for attempt in range(max(1, args.repeat)):
        if attempt:
            fresh(selective)
            fresh(rewrite)
            if iceberg:
                iceberg.reset()
        inc = run_incremental("incremental", original, selective)
        rewritten = run_incremental("rewrite", full_rewrite(etl), rewrite)
        if iceberg:
            merged = iceberg.run(run_incremental, original, churn)
        for name in upsert_samples:
            upsert_samples[name].append(upsert_seconds[name])
        print(
            f"run {attempt + 1}: " + ", ".join(f"{name} {samples[name][-1]:.2f}s" for name in ways),
            flush=True,
        )
    incremental_s, rewrite_s = statistics.median(samples["incremental"]), statistics.median(samples["rewrite"])
    upsert_seconds = {name: statistics.median(values) for name, values in upsert_samples.items()}
    print(f"incremental job (touched partitions only): {incremental_s:.1f}s (median of {len(samples['incremental'])})", flush=True)
    print(
        f"baseline 1, incremental job rewriting all of curated orders: {rewrite_s:.1f}s (median of {len(samples['rewrite'])})",
        flush=True,
    )

    t = time.perf_counter()
    batch.run(spark, str(rebuild), "bench-rebuild-batch", "bench-rebuild", NOW)
    incremental.run(spark, str(rebuild), "bench-rebuild-feed", "bench-rebuild", NOW)
    rebuild_s = time.perf_counter() - t
    print(f"baseline 2, rebuilding curated from all raw input (batch + feed): {rebuild_s:.1f}s", flush=True)

    tables = [spark.read.parquet(str(lake / "curated/orders")) for lake in (selective, rewrite, rebuild)]
    if iceberg:
        tables.append(iceberg.table())
    rows = tables[0].count()
    same = all(t.count() == rows and tables[0].exceptAll(t).count() == 0 for t in tables[1:])
    touched = inc["partitions_written"]
    summary = {
        "orders": args.orders,
        "days": args.days,
        "delta_rows": inc["rows_read"],
        "incremental_seconds": round(incremental_s, 2),
        "full_rewrite_seconds": round(rewrite_s, 2),
        "rebuild_from_raw_seconds": round(rebuild_s, 2),
        "ratio_vs_full_rewrite": round(incremental_s / rewrite_s, 3),
        "ratio_vs_rebuild_from_raw": round(incremental_s / rebuild_s, 3),
        "upsert_step_seconds": round(upsert_seconds["incremental"], 2),
        "full_rewrite_upsert_step_seconds": round(upsert_seconds["rewrite"], 2),
        "upsert_step_ratio": round(upsert_seconds["incremental"] / upsert_seconds["rewrite"], 3),
        "partitions_in_table": inc["partitions_in_table"],
        "partitions_rewritten": len(touched),
        "partitions_rewritten_by_full_rewrite": len(rewritten["partitions_written"]),
        "same_result": same,
        "repeat": len(samples["incremental"]),
        "incremental_samples": [round(x, 2) for x in samples["incremental"]],
        "full_rewrite_samples": [round(x, 2) for x in samples["rewrite"]],
        "data_files": churn,
    }
    if iceberg:
        iceberg_s = statistics.median(samples["iceberg"])
        summary.update(
            {
                "iceberg_merge_seconds": round(iceberg_s, 2),
                "iceberg_upsert_step_seconds": round(upsert_seconds["iceberg"], 2),
                "iceberg_ratio_vs_full_rewrite": round(iceberg_s / rewrite_s, 3),
                "iceberg_ratio_vs_partition_rewrite": round(iceberg_s / incremental_s, 3),
                "iceberg_partitions_rewritten": len(merged["partitions_written"]),
                "iceberg_samples": [round(x, 2) for x in samples["iceberg"]],
            }
        )
    print(
        f"\nincremental {incremental_s:.1f}s vs full rewrite {rewrite_s:.1f}s: ratio {summary['ratio_vs_full_rewrite']:.3f}"
        f" (the upsert step alone: {upsert_seconds['incremental']:.1f}s vs {upsert_seconds['rewrite']:.1f}s,"
        f" ratio {summary['upsert_step_ratio']:.3f}; the rest is the same work in both)"
        f"\nincremental {incremental_s:.1f}s vs rebuild from raw {rebuild_s:.1f}s: ratio {summary['ratio_vs_rebuild_from_raw']:.3f}"
        f" (target <= 0.2)\npartitions rewritten: {len(touched)} of {inc['partitions_in_table']} (those holding delta rows or"
        f" their old versions: {', '.join(touched)}); the full rewrite rewrote {len(rewritten['partitions_written'])}"
        f"\nsame curated rows all {len(tables)} ways: {same}",
        flush=True,
    )
    print("\nway                  median    upsert step  data files removed/added  bytes written", flush=True)
    for name, label in (("iceberg", "Iceberg MERGE INTO"), ("incremental", "partition rewrite"), ("rewrite", "full rewrite")):
        if name in samples and samples[name]:
            c = churn[name]
            print(
                f"{label:<20} {statistics.median(samples[name]):>6.2f}s  {upsert_seconds[name]:>9.2f}s"
                f"  {c['files_removed']:>8} / {c['files_added']:<14} {c['bytes_written'] / 1e6:>9.1f} MB",
                flush=True,
            )
    print("BENCH_RESULT " + json.dumps(summary), flush=True)
    spark.stop()
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
