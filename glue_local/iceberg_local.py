"""How local Spark has the Iceberg tables a Glue job has: the runtime Glue ships, and a catalog inside the lake folder.

On Glue, ``--datalake-formats iceberg`` puts Iceberg on the classpath and the
job's ``--conf`` names the catalog ``glue_catalog`` (Iceberg's GlueCatalog).
Locally ``iceberg-spark-runtime`` at Glue's Iceberg version comes from Maven
Central through Spark's resolver (cached in ``~/.ivy2``, as hadoop-aws is),
and ``glue_catalog`` is a JDBC catalog on a SQLite file kept in the lake
folder (``_system/iceberg/catalog.sqlite``), so a lake folder carries its own
catalog and the job code is the same as on Glue. Unlike a Hadoop catalog, a
JDBC catalog lets a table live where the job says (``curated/<table>/``, the
location Terraform gives the Glue table) and keeps the pointer to the current
metadata in one row that DuckDB and Trino read too.

A local session serves many lakes (the test suite) and many jobs (a local
run), where Glue starts one application per job: :func:`use_lake_catalog`
points the catalog at one lake and drops the catalog instances the session
holds, so each job starts with a fresh catalog, as a Glue job does.
"""

from __future__ import annotations

import os
from typing import Dict, Optional

CATALOG = "glue_catalog"
"""The Spark catalog name the jobs use (``ICEBERG_SPARK_CATALOG`` in ``modules/config/iceberg.ts``)."""

CATALOG_FILE = "_system/iceberg/catalog.sqlite"
"""Where a lake folder keeps its catalog, relative to the lake root."""

ICEBERG_FOR_SPARK = {"3.5.4": "1.7.1", "3.5.6": "1.10.0"}
"""The Iceberg each Glue version ships, by its Spark (``GLUE_ICEBERG_VERSIONS`` and ``GLUE_SPARK_VERSIONS``)."""

SQLITE_JDBC = "org.xerial:sqlite-jdbc:3.50.3.0"
EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"


def iceberg_version(spark_version: Optional[str] = None) -> str:
    """The Iceberg of the Glue version whose Spark this pyspark is."""
    if spark_version is None:
        import pyspark

        spark_version = pyspark.__version__
    try:
        return ICEBERG_FOR_SPARK[spark_version]
    except KeyError:
        raise RuntimeError(f"no Glue version runs Spark {spark_version}; known: {', '.join(ICEBERG_FOR_SPARK)}") from None


def packages() -> list:
    """Maven coordinates Spark fetches for Iceberg: the runtime for this Spark and Scala 2.12, and SQLite's JDBC driver."""
    return [f"org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:{iceberg_version()}", SQLITE_JDBC]


def spark_conf() -> Dict[str, str]:
    """Static session settings (set before the session starts): Iceberg's jars, and its SQL extensions for MERGE INTO and ALTER TABLE."""
    return {
        "spark.jars.packages": ",".join(packages()),
        "spark.sql.extensions": EXTENSIONS,
        # With Iceberg's vectorized Parquet reader (Arrow on Netty's direct memory) this JVM
        # (OpenJDK 17.0.15) died with a SIGSEGV in every MERGE over 1M rows (four runs of four;
        # the last crash inside Netty's allocator under the Arrow reader, the others in the JVM's
        # symbol table). The row reader is slower but safe. On Glue the jobs' --conf leaves
        # vectorization on, as Glue sets its JVM up for Arrow.
        "spark.sql.iceberg.vectorization.enabled": "false",
    }


def merge_packages(*confs: Dict[str, str]) -> Dict[str, str]:
    """Merges session settings, joining their ``spark.jars.packages`` lists instead of overwriting one with another."""
    merged: Dict[str, str] = {}
    jars = []
    for conf in confs:
        for key, value in conf.items():
            if key == "spark.jars.packages":
                jars.extend(p for p in value.split(",") if p and p not in jars)
            else:
                merged[key] = value
    if jars:
        merged["spark.jars.packages"] = ",".join(jars)
    return merged


def catalog_settings(lake_root: str, catalog_file: Optional[str] = None) -> Dict[str, str]:
    """The ``glue_catalog`` settings for one lake: a JDBC catalog on SQLite, warehouse ``curated/``."""
    if "://" in lake_root and catalog_file is None:
        raise ValueError(f"{lake_root} is not a folder: give its Iceberg catalog a local file (catalog_file)")
    if "://" not in lake_root:
        lake_root = os.path.abspath(lake_root)
    path = catalog_file or os.path.join(lake_root, CATALOG_FILE)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    prefix = f"spark.sql.catalog.{CATALOG}"
    return {
        prefix: "org.apache.iceberg.spark.SparkCatalog",
        f"{prefix}.catalog-impl": "org.apache.iceberg.jdbc.JdbcCatalog",
        f"{prefix}.uri": f"jdbc:sqlite:{os.path.abspath(path)}",
        f"{prefix}.jdbc.schema-version": "V1",
        # SQLite has one writer at a time, and in its default journal mode an open read
        # transaction blocks it: a catalog an earlier job of the session left open would keep the
        # next job from committing. In WAL mode readers never block the writer. One connection per
        # catalog, and a wait instead of SQLITE_BUSY should two writers ever meet.
        f"{prefix}.jdbc.journal_mode": "WAL",
        f"{prefix}.clients": "1",
        f"{prefix}.jdbc.busy_timeout": "30000",
        f"{prefix}.warehouse": f"{lake_root.rstrip('/')}/curated",
        # A Glue job is a fresh application: it never sees a table state cached by an earlier job.
        f"{prefix}.cache-enabled": "false",
    }


def use_lake_catalog(spark, lake_root: str, catalog_file: Optional[str] = None) -> None:
    """Points ``glue_catalog`` at one lake's catalog (a folder lake's own, or ``catalog_file`` for an ``s3://`` lake).

    Catalog settings are read when the session first uses a catalog; resetting
    the session's catalog manager makes the next statement build it again.
    The catalog an earlier job used is left as it is, not closed: in WAL mode
    (``catalog_settings``) its idle SQLite connection cannot block the next
    job's commits, so nothing needs to reach into a catalog the session dropped.
    """
    for key, value in catalog_settings(lake_root, catalog_file).items():
        spark.conf.set(key, value)
    spark._jsparkSession.sessionState().catalogManager().reset()


def job_lake_root(job_args) -> str:
    """The ``--lake_root`` of a job's arguments (every lakehouse job has one)."""
    args = list(job_args)
    for i, arg in enumerate(args):
        if arg == "--lake_root" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lake_root="):
            return arg.split("=", 1)[1]
    raise ValueError("the job has no --lake_root argument")
