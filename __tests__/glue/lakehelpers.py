"""Helpers for the Glue tests: a lake folder with raw drops, and readers for what the jobs wrote."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

NOW = "2024-03-10T12:00:00Z"
"""The jobs' clock in tests (``--now``): orders after 13:00 that day are in the future."""

DATABASE = "shoplake_test_lake"
"""The Glue database the tests' Iceberg tables are in (the jobs' ``--catalog_database``)."""

ORDER_COLUMNS = ["order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue"]
CUSTOMER_HEADER = "customer_id,name,email,region,signup_date"
PRODUCT_HEADER = "product_id,name,category,unit_price"
ORDER_HEADER = ",".join(ORDER_COLUMNS)

CUSTOMERS = [
    "c1,Ada Lovelace,ada@example.com,EU,2023-01-15",
    "c2,Grace Hopper,grace@example.com,NA,2023-02-01",
    "c3,Tu Youyou,tu@example.com,APAC,2023-03-20",
]
PRODUCTS = [
    "p1,Kettle,kitchen,25.00",
    "p2,Lamp,home,12.50",
]


def order_line(order_id: str, ts: str, customer: str = "c1", product: str = "p1", quantity: int = 2, price: str = "25.00") -> str:
    """A valid CSV order line (revenue = quantity * price)."""
    revenue = f"{quantity * float(price):.2f}"
    return f"{order_id},{customer},{product},{ts},{quantity},{price},{revenue}"


def order_json(order_id: str, ts: str, ingested_at: str, customer: str = "c1", product: str = "p1", quantity: int = 2, price: float = 25.0, **extra: Any) -> str:
    """A valid JSON order line of the incremental feed."""
    record = {
        "order_id": order_id,
        "customer_id": customer,
        "product_id": product,
        "order_ts": ts,
        "quantity": quantity,
        "unit_price": price,
        "revenue": round(quantity * price, 2),
        "ingested_at": ingested_at,
    }
    record.update(extra)
    return json.dumps(record)


@dataclass
class Lake:
    """A local lake folder laid out like the bucket."""

    root: Path
    system_prefix: str = ""
    """Where the jobs keep their system keys in this lake (``--system_prefix``; the root by default)."""

    def write(self, rel: str, content: bytes | str) -> Path:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return target

    def write_csv(self, dataset: str, name: str, header: str, lines: Iterable[str]) -> Path:
        return self.write(f"raw/{dataset}/{name}", "\n".join([header, *lines]) + "\n")

    def write_feed(self, name: str, lines: Iterable[str], folder: str = "orders_incremental") -> Path:
        """Writes a feed file; its modification time is its arrival (set it with ``os.utime``)."""
        return self.write(f"raw/{folder}/{name}", "\n".join(lines) + "\n")

    def seed_dimensions(self) -> None:
        self.write_csv("customers", "customers.csv", CUSTOMER_HEADER, CUSTOMERS)
        self.write_csv("products", "products.csv", PRODUCT_HEADER, PRODUCTS)

    # what the jobs wrote ------------------------------------------------------

    def report(self, job: str, run_id: str) -> Dict[str, Any]:
        return json.loads((self.root / f"{self.system_prefix}quality_reports" / job / f"{run_id}.json").read_text())

    def curated_files(self, table: str) -> Dict[str, Tuple[int, str]]:
        """Visible data files of a curated table: relative path -> (mtime_ns, sha256)."""
        base = self.root / "curated" / table
        found: Dict[str, Tuple[int, str]] = {}
        if not base.exists():
            return found
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base).as_posix()
            if path.is_file() and not any(part.startswith((".", "_")) for part in rel.split("/")):
                found[rel] = (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        return found

    def is_iceberg(self, table: str) -> bool:
        """Whether the table's folder holds an Iceberg table (its ``metadata/`` folder)."""
        return (self.root / "curated" / table / "metadata").is_dir()

    def partitions(self, table: str) -> List[str]:
        return sorted({rel.rsplit("/", 1)[0] for rel in self.curated_files(table) if "/" in rel})

    def curated(self, spark, table: str) -> List[Dict[str, Any]]:
        """Rows of a curated table (partition columns included), sorted by the first column."""
        base = self.root / "curated" / table
        if self.is_iceberg(table):
            import iceberg_local

            iceberg_local.use_lake_catalog(spark, str(self.root))
            rows = [r.asDict() for r in spark.table(f"{iceberg_local.CATALOG}.{DATABASE}.{table}").collect()]
            return sorted(rows, key=lambda r: str(r[next(iter(r))]))
        if not self.curated_files(table):
            return []
        rows = [r.asDict() for r in spark.read.option("basePath", str(base)).parquet(str(base)).collect()]
        first = next(iter(rows[0])) if rows else None
        return sorted(rows, key=lambda r: str(r[first]))

    def quarantine(self, dataset: str, run_id: str) -> List[Dict[str, Any]]:
        folder = self.root / "quarantine" / dataset / f"run_id={run_id}"
        rows: List[Dict[str, Any]] = []
        for part in sorted(folder.glob("*.json")):
            rows.extend(json.loads(line) for line in part.read_text().splitlines() if line.strip())
        return rows


class Crash(RuntimeError):
    """A simulated crash of a job, raised from one of the ETL's fault-injection hooks."""


def crash(*_args: Any) -> None:
    """Stands in for a fault-injection hook (``etl.hooks.after_write``, ``etl.hooks.after_partition``): the job dies there."""
    raise Crash("simulated crash")


def assert_accounted(report: Mapping[str, Any]) -> None:
    """Nothing is lost: every row read is written, quarantined or counted as a duplicate."""
    for name, d in report["datasets"].items():
        assert d["rows_read"] == d["rows_written"] + d["rows_quarantined"] + d["duplicates_dropped"], (name, d)
        assert d["duplicates_dropped"] == d["duplicates_in_input"] + d["superseded_by_curated"], (name, d)
        assert sum(f["rows_read"] for f in d["files"]) == d["rows_read"], (name, d)
    t = report["totals"]
    assert t["rows_read"] == t["rows_written"] + t["rows_quarantined"] + t["duplicates_dropped"], t


def find_quarantined(rows: Sequence[Mapping[str, Any]], marker: str) -> Mapping[str, Any]:
    """The one quarantined row whose raw record mentions ``marker``."""
    matches = [r for r in rows if marker in (r.get("_raw_record") or "")]
    assert len(matches) == 1, f"expected one quarantined row mentioning {marker!r}, found {len(matches)}"
    return matches[0]


def by_id(rows: Sequence[Mapping[str, Any]], key: str = "order_id") -> Dict[str, Mapping[str, Any]]:
    return {r[key]: r for r in rows}
