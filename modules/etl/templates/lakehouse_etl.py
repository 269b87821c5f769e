"""Plain PySpark functions shared by the lakehouse Glue jobs.

The job scripts (``batch_job.py``, ``incremental_job.py``) hold the constants
rendered from the TypeScript config and call into this module; this module
holds no configuration of its own and never imports ``awsglue``, so it runs the
same on Glue (shipped with ``--extra-py-files``) and on a local pyspark.

Every path goes through Hadoop's ``FileSystem`` (via ``spark._jvm``), so the
same code lists, reads and writes ``s3://bucket/...`` on Glue and
``/abs/path/...`` locally.

What happens to a row, in order:

1. ``read_csv_records`` / ``read_json_records`` turn raw files into one row per
   input record: the raw values as strings, the record text, the source file
   and a ``_malformed`` flag (the record could not be parsed at all).
2. ``validate`` casts to the declared types and applies the quality rules,
   collecting reason codes (see ``modules/config/quality.ts``) in ``_reasons``.
3. ``publish`` writes rows with reasons to ``quarantine/``, keeps the latest
   version of each primary key, and upserts the rest into ``curated/``,
   rewriting only the partitions it touches.

Counting: every input record is read once and ends in exactly one of
curated (``rows_written``), quarantine (``rows_quarantined``) or the duplicate
count (``duplicates_dropped``), so ``rows_read == rows_written +
rows_quarantined + duplicates_dropped`` in every report.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import uuid
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

MALFORMED = "malformed_record"
"""Reason code of a record that could not be parsed at all."""

DEFAULT_MAX_RECORD_BYTES = 1024 * 1024
"""Records (lines) longer than this are quarantined unparsed as ``malformed_record``."""

RAW_RECORD_KEEP_CHARS = 65536
"""How much of an oversized record's text the quarantine keeps."""

FILE_MAP_LITERAL_LIMIT = 1000
"""Up to this many files, a read maps file URIs to lake paths with a literal map in the plan
(no Spark job); above it, with a broadcast join (keeps the plan small)."""

# Columns the pipeline adds; config identifiers start with a-z, so these never clash.
SOURCE_FILE = "_source_file"
RAW_RECORD = "_raw_record"
REASONS = "_reasons"
MALFORMED_FLAG = "_malformed"
ORIGINAL = "_original"
WINNER = "_winner"
ARRIVAL = "_arrival"
"""A record's place in arrival order: struct of the file's arrival time in ms (its modification
time; on S3 its upload time; NULL for batch CSV), the file, the start of its split, and the
line's position in it. Sorting by it orders records as they arrived."""
_ARRIVAL_TYPE = "struct<arrival_ms:bigint,source_file:string,block_start:bigint,line:bigint>"
_CORRUPT = "_corrupt_record"
UTF8_BOM = b"\xef\xbb\xbf"

TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_PATTERN = r"^[+-]?\d+$"

_PARTITION_TRANSFORMS = {
    "year": F.year,
    "month": F.month,
    "day": F.dayofmonth,
    "hour": F.hour,
}


def log(message: str) -> None:
    """A progress line on stdout (the local runner streams these; Glue sends them to CloudWatch)."""
    print(f"[lakehouse] {message}", flush=True)


# --------------------------------------------------------------------------- datasets


@dataclass(frozen=True)
class Partitioning:
    """Hive-style partition keys derived from one timestamp/date column, in path order."""

    source_column: str
    keys: Tuple[Tuple[str, str], ...]
    years: Optional[Tuple[int, int]] = None
    """Inclusive years Athena's partition projection enumerates; rows outside are quarantined."""

    @property
    def names(self) -> List[str]:
        return [name for name, _ in self.keys]


@dataclass(frozen=True)
class IncrementalFeed:
    raw_folder: str
    format: str
    order_by_column: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """One dataset of the rendered config (see ``Dataset.from_config``)."""

    name: str
    table: str
    raw_columns: Tuple[str, ...]
    schema: T.StructType
    primary_key: Tuple[str, ...]
    partitioning: Optional[Partitioning]
    derived_columns: Tuple[Tuple[str, str], ...]
    quality_rules: Tuple[Mapping[str, Any], ...]
    incremental: Optional[IncrementalFeed]

    @staticmethod
    def from_config(entry: Mapping[str, Any]) -> "Dataset":
        """Builds a dataset from one entry of a job script's generated ``DATASETS``."""
        partitioning = entry.get("partitioning")
        incremental = entry.get("incremental")
        return Dataset(
            name=entry["name"],
            table=entry["table"],
            raw_columns=tuple(entry["raw_columns"]),
            schema=entry["schema"],
            primary_key=tuple(entry["primary_key"]),
            partitioning=Partitioning(
                source_column=partitioning["source_column"],
                keys=tuple((name, transform) for name, transform in partitioning["keys"]),
                years=tuple(partitioning["years"]) if partitioning.get("years") else None,
            )
            if partitioning
            else None,
            derived_columns=tuple((name, source) for name, source in entry.get("derived_columns", [])),
            quality_rules=tuple(entry.get("quality_rules", [])),
            incremental=IncrementalFeed(**incremental) if incremental else None,
        )

    @property
    def columns(self) -> List[str]:
        """The curated (non-partition) columns in write order."""
        return [f.name for f in self.schema.fields]

    @property
    def partition_names(self) -> List[str]:
        return self.partitioning.names if self.partitioning else []

    @property
    def order_by(self) -> Optional[str]:
        return self.incremental.order_by_column if self.incremental else None

    def field_type(self, column: str) -> T.DataType:
        return self.schema[column].dataType

    def table_schema(self) -> T.StructType:
        """Curated columns plus the integer partition columns: how the table reads back."""
        return T.StructType(
            list(self.schema.fields) + [T.StructField(n, T.IntegerType(), True) for n in self.partition_names]
        )

    def foreign_keys(self) -> List[Tuple[str, str]]:
        return [(r["column"], r["references"]) for r in self.quality_rules if r["rule"] == "foreign_key"]


def load_datasets(entries: Iterable[Mapping[str, Any]]) -> List[Dataset]:
    return [Dataset.from_config(e) for e in entries]


def processing_order(datasets: Sequence[Dataset]) -> List[Dataset]:
    """Datasets ordered so that each comes after the datasets its foreign keys reference."""
    by_name = {d.name: d for d in datasets}
    ordered: List[Dataset] = []
    visiting: set = set()

    def visit(d: Dataset) -> None:
        if d in ordered or d.name in visiting:
            return
        visiting.add(d.name)
        for _, ref in d.foreign_keys():
            if ref in by_name and ref != d.name:
                visit(by_name[ref])
        visiting.discard(d.name)
        ordered.append(d)

    for d in datasets:
        visit(d)
    return ordered


# --------------------------------------------------------------------------- session


def configure_session(spark: SparkSession) -> None:
    """Session settings the jobs rely on, identical on Glue and locally."""
    # Partition keys and derived dates are UTC; naive ISO timestamps are UTC.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # Casts must return NULL (then invalid_type), never fail the job.
    spark.conf.set("spark.sql.ansi.enabled", "false")
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    # No _SUCCESS markers inside curated tables.
    hadoop.set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")


def parse_now(value: Optional[str]) -> dt.datetime:
    """``--now`` (ISO-8601; UTC when no offset) or the current time, as an aware UTC datetime."""
    if not value:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def optional_arg(argv: Sequence[str], name: str) -> Optional[str]:
    """Reads ``--name value`` or ``--name=value`` from argv; None when absent.

    For options that may be left out: Glue's ``getResolvedOptions`` makes every
    option it is given required.
    """
    flag = f"--{name}"
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1 :]
    return None


# --------------------------------------------------------------------------- lake I/O


@dataclass(frozen=True)
class LakeFile:
    """A file in the lake: its path relative to the lake root, the URI Spark reports, size, mtime.

    ``uri``, ``size`` and ``modified_ms`` are ``""``/-1 in listings made with ``details=False``.
    """

    rel: str
    uri: str
    path: str
    size: int
    modified_ms: int


class Lake:
    """The lake's zones under one root (``s3://bucket`` or a local directory), via Hadoop FileSystem."""

    def __init__(self, spark: SparkSession, root: str, zones: Mapping[str, str]):
        self.spark = spark
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        root_path = self._jvm.org.apache.hadoop.fs.Path(root.rstrip("/") or "/")
        self._fs = root_path.getFileSystem(self._conf)
        self.root = self._fs.makeQualified(root_path).toString().rstrip("/")
        self.zones = dict(zones)

    # paths -------------------------------------------------------------------

    def path(self, rel: str) -> str:
        """Absolute (qualified) path of a lake-relative path."""
        return f"{self.root}/{rel.strip('/')}" if rel.strip("/") else self.root

    def raw_dir(self, folder: str) -> str:
        return self.zones["raw"] + folder + "/"

    def curated_dir(self, table: str) -> str:
        return self.zones["curated"] + table + "/"

    def quarantine_dir(self, dataset: str, run_id: str) -> str:
        return f"{self.zones['quarantine']}{dataset}/run_id={run_id}/"

    def report_path(self, job: str, run_id: str) -> str:
        return f"{self.zones['quality_reports']}{job}/{run_id}.json"

    def manifest_dir(self, dataset: str) -> str:
        return f"{self.zones['system']}manifests/{dataset}/"

    def _jpath(self, rel: str):
        return self._jvm.org.apache.hadoop.fs.Path(self.path(rel))

    def relative(self, qualified: str) -> str:
        prefix = self.root + "/"
        return qualified[len(prefix) :] if qualified.startswith(prefix) else qualified

    # listing -----------------------------------------------------------------

    def list_files(
        self, rel_dir: str, recursive: bool, suffixes: Sequence[str] = (), details: bool = True
    ) -> List[LakeFile]:
        """Files under a directory, sorted by path; skips hidden (``.``/``_``) files and folders.

        ``details=False`` skips size, mtime and URI (each a JVM call per file) when only paths matter.
        """
        directory = self._jpath(rel_dir)
        if not self._fs.exists(directory):
            return []
        base = self.relative(self._fs.makeQualified(directory).toString()).rstrip("/")
        found: List[LakeFile] = []
        for status, jpath, path in self._statuses(directory, recursive):
            rel = self.relative(path)
            inner = rel[len(base) + 1 :] if base and rel.startswith(base + "/") else rel
            if any(part.startswith((".", "_")) for part in inner.split("/")):
                continue
            if suffixes and not rel.lower().endswith(tuple(suffixes)):
                continue
            if details:
                uri = jpath.toUri().toString()
                found.append(LakeFile(rel, uri, path, int(status.getLen()), int(status.getModificationTime())))
            else:
                found.append(LakeFile(rel, "", path, -1, -1))
        return sorted(found, key=lambda f: f.rel)

    def _statuses(self, directory, recursive: bool):
        """(FileStatus, Path, path string) of each file under ``directory``.

        Object stores list a whole tree in one flat listing (``listFiles``). The
        local file system's ``listFiles`` looks up block locations file by file,
        which is slow, so there the tree is walked with ``listStatus``, skipping
        hidden folders on the way.
        """
        if self.is_object_store:
            iterator = self._fs.listFiles(directory, recursive)
            while iterator.hasNext():
                status = iterator.next()
                jpath = status.getPath()
                yield status, jpath, jpath.toString()
            return
        pending = [directory]
        while pending:
            for status in self._fs.listStatus(pending.pop()):
                jpath = status.getPath()
                path = jpath.toString()
                if path.rsplit("/", 1)[-1].startswith((".", "_")):
                    continue
                if status.isDirectory():
                    if recursive:
                        pending.append(jpath)
                else:
                    yield status, jpath, path

    # small files -------------------------------------------------------------

    def read_bytes(self, rel: str) -> bytes:
        stream = self._fs.open(self._jpath(rel))
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def read_first_line(self, rel: str, max_bytes: int) -> Optional[bytes]:
        """The first line of a file as Hadoop's LineReader (and so Spark's text source) splits it."""
        stream = self._fs.open(self._jpath(rel))
        try:
            reader = self._jvm.org.apache.hadoop.util.LineReader(stream)
            text = self._jvm.org.apache.hadoop.io.Text()
            consumed = reader.readLine(text, max_bytes, max_bytes + 2)
            return bytes(text.copyBytes()) if consumed > 0 else None
        finally:
            stream.close()

    @property
    def is_object_store(self) -> bool:
        """True on S3 (``s3://``, ``s3a://``): no real folders, rename is copy + delete."""
        return self._fs.getUri().getScheme() != "file"

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Writes a small file whole, so a reader sees the old file or the new one, never a part.

        On S3 one PUT is already atomic: the object is written directly (a
        temporary name would need a copy and a delete, and so ``s3:DeleteObject``
        where the job only ever adds files). On a local folder it is written to a
        hidden temporary name, then renamed into place.
        """
        target = self._jpath(rel)
        if self.is_object_store:
            out = self._fs.create(target, True)
            try:
                out.write(bytearray(data))
            finally:
                out.close()
            return
        temporary = self._jvm.org.apache.hadoop.fs.Path(target.getParent(), f".{target.getName()}.{uuid.uuid4().hex}.tmp")
        out = self._fs.create(temporary, True)
        try:
            out.write(bytearray(data))
        finally:
            out.close()
        if self._fs.exists(target):
            self._fs.delete(target, False)
        if not self._fs.rename(temporary, target):
            raise IOError(f"could not move {temporary.toString()} to {target.toString()}")

    def write_json(self, rel: str, document: Any) -> None:
        self.write_bytes(rel, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def delete(self, paths: Iterable[str]) -> None:
        """Deletes files given by qualified path (as ``LakeFile.path``)."""
        for p in paths:
            self._fs.delete(self._jvm.org.apache.hadoop.fs.Path(p), False)

    def delete_tree(self, rel: str) -> bool:
        """Deletes a folder and everything under it; False when it did not exist."""
        jpath = self._jpath(rel)
        return bool(self._fs.exists(jpath)) and bool(self._fs.delete(jpath, True))

    def remove_empty_dirs(self, rel_dir: str, stop_at: str) -> None:
        """Removes ``rel_dir`` and its parents up to (not including) ``stop_at`` while they are empty."""
        current = rel_dir.strip("/")
        stop = stop_at.strip("/")
        while current and current != stop and current.startswith(stop):
            jpath = self._jpath(current)
            if self._fs.exists(jpath):
                visible = [
                    s for s in self._fs.listStatus(jpath) if not s.getPath().getName().startswith((".", "_"))
                ]
                if visible:
                    return
                self._fs.delete(jpath, True)
            current = current.rsplit("/", 1)[0] if "/" in current else ""


def _spark_paths(files: Sequence[LakeFile]) -> List[str]:
    """Paths for ``spark.read``, glob characters escaped (Spark globs every path it is given)."""
    specials = "\\{}[]*?"
    return ["".join("\\" + c if c in specials else c for c in f.path) for f in files]


# --------------------------------------------------------------------------- reading raw records


@dataclass
class FileProblem:
    path: str
    problems: List[str] = field(default_factory=list)


def _read_lines(spark: SparkSession, files: Sequence[LakeFile], max_record_bytes: int) -> DataFrame:
    """One row per non-blank line: ``value``, ``_file_uri``, ``_block_start``, ``_line``, ``_too_long``, ``_bad_utf8``.

    ``_line`` grows with the line's position within its split (``_block_start``), so
    (``_block_start``, ``_line``) orders the lines of one file as they are in it.
    """
    lines = spark.read.text(_spark_paths(files)).select(
        F.col("value"),
        F.input_file_name().alias("_file_uri"),
        F.input_file_block_start().alias("_block_start"),
        # Taken right at the scan, before any shuffle: increasing within each split.
        F.monotonically_increasing_id().alias("_line"),
    )
    return (
        lines.where(F.trim(F.col("value")) != "")
        .withColumn("_too_long", F.octet_length("value") > F.lit(max_record_bytes))
        # Spark keeps a line's bytes as they are; decoding them as UTF-8 changes them only if invalid.
        .withColumn("_bad_utf8", F.decode(F.col("value").cast("binary"), "UTF-8") != F.col("value"))
    )


def _file_map(spark: SparkSession, rows: Sequence[Tuple[Any, ...]], schema: str) -> DataFrame:
    return F.broadcast(spark.createDataFrame(list(rows), schema))


def _raw_record(value: Column, too_long: Column) -> Column:
    return F.when(too_long, F.substring(value, 1, RAW_RECORD_KEEP_CHARS)).otherwise(value)


def _arrival(arrival_ms: Column, source_file: Column) -> Column:
    return F.struct(
        arrival_ms.cast("bigint").alias("arrival_ms"),
        source_file.alias("source_file"),
        F.col("_block_start").alias("block_start"),
        F.col("_line").alias("line"),
    ).alias(ARRIVAL)


def read_csv_records(
    spark: SparkSession,
    lake: Lake,
    dataset: Dataset,
    files: Sequence[LakeFile],
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Tuple[DataFrame, List[FileProblem]]:
    """Reads CSV files with a header line into raw records.

    The header of each file is read on the driver and must name exactly the
    declared raw columns (any order, case and surrounding spaces ignored); a file
    whose header is missing a column or has an extra one is not guessed at:
    every record in it is malformed. Each record must be one line (quoted
    values with line breaks are not supported), with exactly as many fields as
    the header (counted outside RFC 4180 quotes, so a stray quote is caught),
    valid UTF-8, and at most ``max_record_bytes`` long. Lines identical to
    their file's header and blank lines are not records.
    """
    columns = list(dataset.raw_columns)
    problems: List[FileProblem] = []
    layouts: Dict[Tuple[str, ...], int] = {}
    mapping: List[Tuple[str, str, Optional[bytearray], int]] = []
    for f in files:
        issue = FileProblem(path=f.rel)
        problems.append(issue)
        header = lake.read_first_line(f.rel, max_record_bytes) if f.size > 0 else None
        if header is None:
            issue.problems.append("empty file")
            continue
        layout = _header_layout(header, columns, issue)
        layout_id = layouts.setdefault(layout, len(layouts)) if layout else -1
        # Hadoop's line reader drops a UTF-8 byte order mark at the start of a file; compare without it.
        bare = header[len(UTF8_BOM) :] if header.startswith(UTF8_BOM) else header
        mapping.append((f.uri, f.rel, bytearray(bare), layout_id))
    if not mapping:
        return _empty_records(spark, columns), problems

    file_map = _file_map(spark, mapping, "_file_uri string, _source_file string, _header binary, _layout int")
    lines = _read_lines(spark, [f for f in files if f.size > 0], max_record_bytes).join(file_map, "_file_uri", "left")
    line_bytes = F.col("value").cast("binary")
    is_header = (line_bytes == F.col("_header")) | (line_bytes == F.concat(F.lit(bytearray(UTF8_BOM)), F.col("_header")))
    lines = lines.where(F.col("_header").isNull() | ~is_header)

    # Count fields ourselves: remove quoted sections ("" escapes are two adjacent ones), then
    # any quote left is stray, and the commas left separate the fields.
    unquoted = F.regexp_replace("value", '"[^"]*"', "")
    field_count = F.length(unquoted) - F.length(F.regexp_replace(unquoted, ",", "")) + 1
    parseable = ~F.col("_too_long") & ~F.col("_bad_utf8") & F.col("_layout").isNotNull() & (F.col("_layout") >= 0)
    structurally_ok = parseable & (F.instr(unquoted, '"') == 0) & (field_count == len(columns))

    csv_options = {"mode": "PERMISSIVE", "escape": '"', "columnNameOfCorruptRecord": _CORRUPT}
    parsed = lines.select(
        "*",
        *[
            F.when(F.col("_layout") == layout_id, F.from_csv("value", _string_ddl(list(layout) + [_CORRUPT]), csv_options)).alias(
                f"_parsed{layout_id}"
            )
            for layout, layout_id in layouts.items()
        ],
    )
    value_of = {
        c: F.coalesce(*[F.col(f"_parsed{i}")[c] for i in layouts.values()], F.lit(None).cast("string")) for c in columns
    }
    corrupt = F.coalesce(*[F.col(f"_parsed{i}")[_CORRUPT] for i in layouts.values()], F.lit(None).cast("string"))
    records = parsed.select(
        *[F.when(parseable, value_of[c]).alias(c) for c in columns],
        F.coalesce(F.col("_source_file"), F.col("_file_uri")).alias(SOURCE_FILE),
        _raw_record(F.col("value"), F.col("_too_long")).alias(RAW_RECORD),
        (~structurally_ok | corrupt.isNotNull()).alias(MALFORMED_FLAG),
        # Batch files carry no arrival time: their rows are the oldest versions of their keys.
        _arrival(F.lit(None), F.coalesce(F.col("_source_file"), F.col("_file_uri"))),
    )
    return records, problems


def _string_ddl(columns: Sequence[str]) -> str:
    return ", ".join(f"`{c}` string" for c in columns)


def _header_layout(header: bytes, columns: Sequence[str], issue: FileProblem) -> Optional[Tuple[str, ...]]:
    try:
        text = header.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        issue.problems.append("header is not valid UTF-8")
        return None
    names = [n.strip().lower() for n in next(csv.reader([text]), [])]
    missing = [c for c in columns if c not in names]
    extra = [n for n in names if n not in columns]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing:
        issue.problems.append("header is missing columns: " + ", ".join(missing))
    if extra:
        issue.problems.append("header has unexpected columns: " + ", ".join(extra))
    if repeated:
        issue.problems.append("header repeats columns: " + ", ".join(repeated))
    return None if (missing or extra or repeated) else tuple(names)


def read_json_records(
    spark: SparkSession,
    dataset: Dataset,
    files: Sequence[LakeFile],
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Tuple[DataFrame, List[FileProblem]]:
    """Reads JSON lines files into raw records.

    Each non-blank line must be one JSON object, valid UTF-8 and at most
    ``max_record_bytes`` long; anything else is malformed. Values are kept as
    their JSON text (numbers, booleans, nested values) so the cast to the
    declared types is the same as for CSV. Fields not in the dataset are
    ignored; absent fields are null. Each record carries its arrival
    (``ARRIVAL``): the file's modification time, the file, its line.
    """
    columns = list(dataset.raw_columns) + ([dataset.order_by] if dataset.order_by else [])
    problems = [FileProblem(path=f.rel, problems=[] if f.size > 0 else ["empty file"]) for f in files]
    non_empty = [f for f in files if f.size > 0]
    if not non_empty:
        return _empty_records(spark, columns), problems
    lines = _read_lines(spark, non_empty, max_record_bytes)
    if len(non_empty) <= FILE_MAP_LITERAL_LIMIT:
        # A literal map needs no Spark job; a broadcast join of a driver-side list does.
        uri_to_rel = F.create_map(*[F.lit(x) for f in non_empty for x in (f.uri, f.rel)])
        uri_to_arrival = F.create_map(*[F.lit(x) for f in non_empty for x in (f.uri, f.modified_ms)])
        lines = lines.withColumn(SOURCE_FILE, uri_to_rel[F.col("_file_uri")]).withColumn(
            "_arrival_ms", uri_to_arrival[F.col("_file_uri")]
        )
    else:
        rows = [(f.uri, f.rel, f.modified_ms) for f in non_empty]
        file_map = _file_map(spark, rows, "_file_uri string, _source_file string, _arrival_ms bigint")
        lines = lines.join(file_map, "_file_uri", "left")
    parseable = ~F.col("_too_long") & ~F.col("_bad_utf8")
    schema = _string_ddl(columns + [_CORRUPT])
    parsed = lines.withColumn(
        "_parsed",
        F.when(parseable, F.from_json("value", schema, {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": _CORRUPT})),
    )
    records = parsed.select(
        *[F.col("_parsed")[c].alias(c) for c in columns],
        F.coalesce(F.col(SOURCE_FILE), F.col("_file_uri")).alias(SOURCE_FILE),
        _raw_record(F.col("value"), F.col("_too_long")).alias(RAW_RECORD),
        (~parseable | F.col("_parsed").isNull() | F.col("_parsed")[_CORRUPT].isNotNull()).alias(MALFORMED_FLAG),
        _arrival(F.col("_arrival_ms"), F.coalesce(F.col(SOURCE_FILE), F.col("_file_uri"))),
    )
    return records, problems


def _empty_records(spark: SparkSession, columns: Sequence[str]) -> DataFrame:
    ddl = _string_ddl(columns) + f", `{SOURCE_FILE}` string, `{RAW_RECORD}` string, `{MALFORMED_FLAG}` boolean, `{ARRIVAL}` {_ARRIVAL_TYPE}"
    return spark.createDataFrame([], ddl)


# --------------------------------------------------------------------------- validation


def _cast(raw: Column, data_type: T.DataType) -> Column:
    """The declared-type value of a raw string, NULL when it does not convert.

    Leading and trailing spaces are removed first, for strings too: the value the
    rules check is the value curated stores. Relies on ``spark.sql.ansi.enabled=false``
    (set by ``configure_session``): a failed cast is NULL, which ``validate``
    reports as ``invalid_type``.
    Integers must be whole numbers (Spark would truncate ``"3.5"``), dates
    ``yyyy-MM-dd`` and timestamps ISO-8601 with seconds (UTC without offset).
    """
    text = F.trim(raw)
    if isinstance(data_type, T.StringType):
        return text
    pattern = {
        T.IntegerType: INTEGER_PATTERN,
        T.LongType: INTEGER_PATTERN,
        T.ShortType: INTEGER_PATTERN,
        T.ByteType: INTEGER_PATTERN,
        T.TimestampType: TIMESTAMP_PATTERN,
        T.DateType: DATE_PATTERN,
    }.get(type(data_type))
    converted = text.cast(data_type)
    return F.when(text.rlike(pattern), converted) if pattern else converted


def _present(raw: Column) -> Column:
    return raw.isNotNull() & (F.trim(raw) != "")


def validate(
    records: DataFrame,
    dataset: Dataset,
    now: dt.datetime,
    reference_keys: Optional[Mapping[str, DataFrame]] = None,
) -> DataFrame:
    """Casts raw records to the declared types and collects reason codes.

    Returns the curated columns (typed; derived columns and partition columns
    computed), ``_reasons`` (array of reason codes, empty for a good row, in
    the order: malformed, invalid types in column order, implicit not-null,
    then the configured rules in config order), ``_original`` (the raw values
    as read), ``_raw_record`` and ``_source_file``.

    Implicit rules: a value that does not convert is ``invalid_type:<col>``;
    primary key columns and the partition source column must not be null
    (``null_value:<col>``). The incremental ordering column is ingestion
    metadata and may be absent: a feed row without it takes its file's arrival
    time (``ARRIVAL``), so every version of a key sits on one timeline; a batch
    row has neither and counts as the oldest.
    ``reference_keys`` maps a foreign-key column to a one-column frame
    (``_key``) of the referenced table's keys.
    """
    reference_keys = reference_keys or {}
    raw_names = [c for c in records.columns if c not in (SOURCE_FILE, RAW_RECORD, MALFORMED_FLAG, ARRIVAL)]
    typed_cols = [c for c in dataset.columns if c in raw_names]

    def raw(c: str) -> Column:
        return F.col(f"{ORIGINAL}.{c}")

    # One select per stage (not a withColumn chain): plans stay small and quick to analyse.
    df = records.select(
        F.struct(*[F.col(c) for c in raw_names]).alias(ORIGINAL), MALFORMED_FLAG, RAW_RECORD, SOURCE_FILE, ARRIVAL
    ).select(
        "*", *[_cast(F.when(_present(raw(c)), raw(c)), dataset.field_type(c)).alias(c) for c in typed_cols]
    )

    fk_flags: Dict[str, str] = {}
    for column, _ in dataset.foreign_keys():
        keys = reference_keys.get(column)
        flag = f"_fk_found_{column}"
        if keys is None:
            df = df.withColumn(flag, F.lit(None).cast("boolean"))
        else:
            # EXISTS plans as an existence join: a flag per row, no distinct (and no shuffle) of
            # the referenced keys needed, and a key listed twice cannot duplicate the row.
            df = df.sparkSession.sql(
                f"SELECT *, CASE WHEN EXISTS (SELECT 1 FROM {{keys}} k WHERE k._key = d.`{column}`) THEN true END"
                f" AS `{flag}` FROM {{df}} d",
                df=df,
                keys=keys,
            )
        fk_flags[column] = flag

    checks: List[Column] = [F.when(_present(raw(c)) & F.col(c).isNull(), F.lit(f"invalid_type:{c}")) for c in typed_cols]
    implicit_not_null = list(dataset.primary_key)
    if dataset.partitioning:
        implicit_not_null.append(dataset.partitioning.source_column)
    checks += [F.when(~_present(raw(c)), F.lit(f"null_value:{c}")) for c in implicit_not_null]
    partitioning = dataset.partitioning
    if partitioning and partitioning.years and any(t == "year" for _, t in partitioning.keys):
        # A partition Athena's projection does not enumerate is invisible to every query.
        year = F.year(F.col(partitioning.source_column))
        first, last = partitioning.years
        checks.append(F.when((year < first) | (year > last), F.lit(f"outside_partition_range:{partitioning.source_column}")))
    for rule in dataset.quality_rules:
        checks += _rule_checks(rule, raw, now, fk_flags)
    reasons = F.array_distinct(F.filter(F.array(*checks), lambda x: x.isNotNull()))

    derived = dict(dataset.derived_columns)

    def curated(c: str) -> Column:
        if c == dataset.order_by:
            arrived = (F.col(f"{ARRIVAL}.arrival_ms") / 1000).cast("timestamp")
            value = F.coalesce(F.col(c), arrived) if c in typed_cols else arrived
        elif c in typed_cols:
            value = F.col(c)
        elif c in derived:
            value = F.to_date(F.col(derived[c]))
        else:  # not in this source (the ordering column of batch rows)
            value = F.lit(None)
        return value.cast(dataset.field_type(c)).alias(c)

    partitions = []
    if dataset.partitioning:
        source = F.col(dataset.partitioning.source_column)
        partitions = [_PARTITION_TRANSFORMS[t](source).cast("int").alias(n) for n, t in dataset.partitioning.keys]
    return df.select(
        *[curated(c) for c in dataset.columns],
        *partitions,
        F.when(F.col(MALFORMED_FLAG), F.array(F.lit(MALFORMED))).otherwise(reasons).alias(REASONS),
        ORIGINAL,
        RAW_RECORD,
        SOURCE_FILE,
        ARRIVAL,
    )


def _rule_checks(rule: Mapping[str, Any], raw, now: dt.datetime, fk_flags: Mapping[str, str]) -> List[Column]:
    kind = rule["rule"]
    if kind == "not_null":
        return [F.when(~_present(raw(c)), F.lit(f"null_value:{c}")) for c in rule["columns"]]
    if kind == "positive":
        return [F.when(F.col(c) <= 0, F.lit(f"not_positive:{c}")) for c in rule["columns"]]
    if kind == "allowed_values":
        c = rule["column"]
        allowed = [str(v) for v in rule["values"]]
        # The stored (trimmed) value, as text: the same value curated will hold.
        return [F.when(_present(raw(c)) & ~F.trim(raw(c)).isin(allowed), F.lit(f"not_allowed:{c}"))]
    if kind == "pattern":
        c = rule["column"]
        # \z, not $: Java's $ also matches before a final line break, so "abc\n" would pass [a-z]+.
        return [F.when(_present(raw(c)) & ~F.trim(raw(c)).rlike(f"^(?:{rule['regex']})\\z"), F.lit(f"pattern_mismatch:{c}"))]
    if kind == "foreign_key":
        c = rule["column"]
        return [F.when(F.col(c).isNotNull() & F.col(fk_flags[c]).isNull(), F.lit(f"unknown_{c}"))]
    if kind == "not_in_future":
        c = rule["column"]
        limit = now + dt.timedelta(minutes=int(rule.get("tolerance_minutes", 60)))
        return [F.when(F.col(c) > F.lit(iso(limit)).cast("timestamp"), F.lit(f"future_timestamp:{c}"))]
    if kind == "product":
        c = rule["column"]
        expected = reduce(lambda a, b: a * b, [F.col(x) for x in rule["factors"]])
        return [F.when(F.abs(F.col(c) - expected) > F.lit(float(rule.get("tolerance", 0.01))), F.lit(f"product_mismatch:{c}"))]
    raise ValueError(f"unknown quality rule {kind!r}")


def reference_keys(spark: SparkSession, lake: Lake, dataset: Dataset, datasets: Sequence[Dataset]) -> Dict[str, DataFrame]:
    """For each foreign key of ``dataset``: the keys of the referenced curated table (read from the lake)."""
    by_name = {d.name: d for d in datasets}
    keys: Dict[str, DataFrame] = {}
    for column, ref in dataset.foreign_keys():
        target = by_name.get(ref)
        if target is None:
            continue
        if len(target.primary_key) != 1:
            # The config rejects this too: a composite key cannot be matched by one column.
            raise ValueError(f"{dataset.name}.{column} references {ref}, whose primary key is composite ({', '.join(target.primary_key)})")
        key = target.primary_key[0]
        if curated_files(lake, target):
            frame = read_table(spark, lake, target).select(F.col(key).cast("string").alias("_key"))
        else:
            frame = spark.createDataFrame([], "_key string")
        keys[column] = frame
    return keys


# --------------------------------------------------------------------------- curated tables


def curated_files(lake: Lake, dataset: Dataset, partition: Optional[str] = None) -> List[LakeFile]:
    """Data files of a curated table, or of one of its partitions (``year=2026/month=1/day=5``)."""
    folder = lake.curated_dir(dataset.table) + (partition + "/" if partition else "")
    return lake.list_files(folder, recursive=partition is None, suffixes=(".parquet",), details=False)


def _root_files(lake: Lake, dataset: Dataset) -> List[LakeFile]:
    return lake.list_files(lake.curated_dir(dataset.table), recursive=False, suffixes=(".parquet",), details=False)


def partition_of(lake: Lake, dataset: Dataset, f: LakeFile) -> str:
    """The partition directory of a curated file relative to the table (``year=2026/month=1/day=5``; '' if unpartitioned)."""
    inner = f.rel[len(lake.curated_dir(dataset.table)) :]
    return inner.rsplit("/", 1)[0] if "/" in inner else ""


def partition_dir(dataset: Dataset, values: Sequence[Any]) -> str:
    return "/".join(f"{name}={value}" for name, value in zip(dataset.partition_names, values))


def read_table(spark: SparkSession, lake: Lake, dataset: Dataset, files: Optional[Sequence[LakeFile]] = None) -> DataFrame:
    """Reads curated files with the table schema (partition values from the paths).

    ``files=None`` reads the whole table by its folder: one path for Spark to
    list, where a long list of file paths would make it start a listing job.
    """
    root = lake.path(lake.curated_dir(dataset.table))
    paths = [root] if files is None else _spark_paths(files)
    return spark.read.schema(dataset.table_schema()).option("basePath", root).parquet(*paths)


def _latest_first(dataset: Dataset, *extra: Column) -> List[Column]:
    """Order within a key: latest ordering column first (NULL = oldest), then ``extra`` tie-breakers."""
    order: List[Column] = []
    if dataset.order_by:
        order.append(F.col(dataset.order_by).desc_nulls_last())
    return order + list(extra)


def _dedupe_order(dataset: Dataset) -> List[Column]:
    """Order within a key of a run's rows: latest ordering column (NULL = oldest), then the
    later arrival (file arrival time, file, line), then a hash of the row (deterministic)."""
    fingerprint = F.xxhash64(*[F.col(c).cast("string") for c in dataset.columns])
    return _latest_first(dataset, F.col(ARRIVAL).desc_nulls_last(), fingerprint.desc())


def dedupe(valid: DataFrame, dataset: Dataset) -> DataFrame:
    """One row per primary key: the latest by the ordering column (NULL = oldest), then the
    later arrival; remaining ties are broken by a hash of the row (deterministic)."""
    window = Window.partitionBy(*dataset.primary_key).orderBy(*_dedupe_order(dataset))
    return valid.withColumn("_rank", F.row_number().over(window)).where("_rank = 1").drop("_rank")


def mark_winners(checked: DataFrame, dataset: Dataset) -> DataFrame:
    """``checked`` plus ``_winner``: true for the one valid row per key that ``dedupe`` keeps.

    Rows with reasons are ranked apart from valid ones (the validity is part of the
    window's partitioning), so they never take a valid row's place; they are never winners.
    """
    valid = F.size(REASONS) == 0
    window = Window.partitionBy(valid, *dataset.primary_key).orderBy(*_dedupe_order(dataset))
    return checked.withColumn(WINNER, valid & (F.row_number().over(window) == 1))


@dataclass
class UpsertResult:
    rows_written: int = 0
    superseded: int = 0
    partitions_written: List[str] = field(default_factory=list)
    partitions_in_table: int = 0
    files_written: int = 0
    files_removed: int = 0


def upsert(
    spark: SparkSession, lake: Lake, dataset: Dataset, winners: DataFrame, incoming: Mapping[str, int]
) -> UpsertResult:
    """Merges one version per key into the curated table, rewriting only touched partitions.

    Touched partitions are those of the incoming rows plus those holding the
    current versions of incoming keys (found by reading only key, partition
    and ordering columns, see ``_current_versions``). Each touched partition is rebuilt from its current
    rows and the incoming rows, keeping per key the latest by the ordering
    column (NULL = oldest; on a tie the incoming row wins), written as new
    files, and only then are the partition's previous files deleted. A crash
    between those steps leaves both old and new files (readable, possibly
    with a key twice, never a lost row); the next run touches the same
    partitions and keeps one version per key, so a rerun completes it.

    ``winners`` has one row per key; ``incoming`` maps each of its partition
    directories ('' when unpartitioned) to its row count.
    """
    table_dir = lake.curated_dir(dataset.table)
    existing = curated_files(lake, dataset)
    by_partition: Dict[str, List[LakeFile]] = {}
    for f in existing:
        by_partition.setdefault(partition_of(lake, dataset, f), []).append(f)

    winners = winners.select(*dataset.columns, *dataset.partition_names).withColumn("_incoming", F.lit(1))
    names, key = dataset.partition_names, list(dataset.primary_key)
    old_partitions, superseded = _current_versions(spark, lake, dataset, existing, winners)
    touched = sorted(set(incoming) | old_partitions)
    old_files = [f for p in touched for f in by_partition.get(p, [])]

    merged = winners
    if old_files:
        current = read_table(spark, lake, dataset, old_files).withColumn("_incoming", F.lit(0))
        fingerprint = F.xxhash64(*[F.col(c).cast("string") for c in dataset.columns])
        window = Window.partitionBy(*key).orderBy(*_latest_first(dataset, F.col("_incoming").desc(), fingerprint.desc()))
        ranked = current.unionByName(winners).withColumn("_rank", F.row_number().over(window))
        merged = ranked.where("_rank = 1").drop("_rank")
    total = sum(incoming.values())
    result = UpsertResult(rows_written=total - superseded, superseded=superseded)
    # A driver killed inside Spark's commit leaves committed task output under
    # _temporary; the next commit would move it into the table. No other writer
    # runs (one job at a time), so whatever is there is stale.
    if lake.delete_tree(table_dir + "_temporary"):
        log(f"{dataset.name}: removed output a killed write left in {table_dir}_temporary")
    output = merged.drop("_incoming")
    writer = (output.repartition(*names) if names else output.coalesce(1)).write.mode("append")
    if names:
        writer = writer.partitionBy(*names)
    writer.parquet(lake.path(table_dir))
    _after_write_hook(dataset, touched)
    for p in touched:
        lake.delete(f.path for f in by_partition.get(p, []))
        _after_partition_hook(dataset, p)
        if p:
            lake.remove_empty_dirs(table_dir + p, table_dir)
    # Only touched partitions changed: list those again, not the whole table.
    now_in = {p: curated_files(lake, dataset, p) if p else _root_files(lake, dataset) for p in touched}
    result.files_written = sum(len(files) for files in now_in.values())
    result.files_removed = len(old_files)
    result.partitions_written = [p for p in touched if p]
    if names:
        kept = (set(by_partition) - set(touched)) | {p for p, files in now_in.items() if files}
        result.partitions_in_table = len(kept)
    return result


def _current_versions(
    spark: SparkSession, lake: Lake, dataset: Dataset, existing: Sequence[LakeFile], winners: DataFrame
) -> Tuple[Set[str], int]:
    """Where the current versions of the incoming keys are, and how many incoming rows they beat.

    Reads only key, partition and ordering columns of curated, in one pass:
    returns the partitions holding a current version of an incoming key, and
    the number of incoming keys whose current version is strictly newer by the
    ordering column (those incoming rows are superseded; on a tie the incoming
    row wins, as in the merge).
    """
    names, key, order_by = dataset.partition_names, list(dataset.primary_key), dataset.order_by
    if not existing or not (names or order_by):
        return set(), 0
    holding = read_table(spark, lake, dataset).select(*key, *names, *([order_by] if order_by else []))
    if not order_by:
        holders = holding.join(winners.select(*key), key, "left_semi").select(*names).distinct()
        return {partition_dir(dataset, list(r)) for r in holders.collect()}, 0
    versions = holding.join(winners.select(*key, F.col(order_by).alias("_incoming_order")), key, "inner")
    newer = (F.col(order_by) > F.col("_incoming_order")) | (
        F.col("_incoming_order").isNull() & F.col(order_by).isNotNull()
    )
    aggregates = [F.countDistinct(F.when(newer, F.struct(*key))).alias("superseded")]
    if names:
        aggregates.append(F.collect_set(F.struct(*names)).alias("partitions"))
    row = versions.agg(*aggregates).collect()[0]
    partitions = {partition_dir(dataset, list(p)) for p in row["partitions"]} if names else set()
    return partitions, int(row["superseded"])


# Fault-injection points for tests (a crash after the new files are written, or after
# one partition's old files are removed). They do nothing unless a test replaces them.
def _after_write_hook(dataset: Dataset, partitions: Sequence[str]) -> None:
    return None


def _after_partition_hook(dataset: Dataset, partition: str) -> None:
    return None


# --------------------------------------------------------------------------- quarantine, publish


def write_quarantine(lake: Lake, dataset: Dataset, bad: DataFrame, run_id: str, now: dt.datetime) -> str:
    """Writes rejected rows as JSON lines under ``quarantine/<dataset>/run_id=<id>/``.

    Each row: the original raw values (strings, every column present),
    ``_reasons``, ``_raw_record`` (the line as read; oversized ones cut to
    ``RAW_RECORD_KEEP_CHARS``), ``_source_file`` (lake-relative) and
    ``_quarantined_at``.
    """
    target = lake.quarantine_dir(dataset.name, run_id)
    (
        bad.select(
            f"{ORIGINAL}.*",
            REASONS,
            RAW_RECORD,
            SOURCE_FILE,
            F.lit(iso(now)).alias("_quarantined_at"),
        )
        .coalesce(1)
        .write.mode("overwrite")
        .option("ignoreNullFields", "false")
        .json(lake.path(target))
    )
    return target


@dataclass
class DatasetResult:
    """What one job run did to one dataset; ``as_report`` is its part of the quality report."""

    dataset: Dataset
    files: List[FileProblem]
    file_rows: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    rows_read: int = 0
    rows_quarantined: int = 0
    duplicates_in_input: int = 0
    quarantined_by_reason: Dict[str, int] = field(default_factory=dict)
    quarantine_path: Optional[str] = None
    upsert: UpsertResult = field(default_factory=UpsertResult)

    @property
    def duplicates_dropped(self) -> int:
        return self.duplicates_in_input + self.upsert.superseded

    def as_report(self) -> Dict[str, Any]:
        return {
            "table": self.dataset.table,
            "files_processed": len(self.files),
            "files": [
                {
                    "path": f.path,
                    "rows_read": self.file_rows.get(f.path, (0, 0))[0],
                    "rows_quarantined": self.file_rows.get(f.path, (0, 0))[1],
                    "problems": f.problems,
                }
                for f in self.files
            ],
            "rows_read": self.rows_read,
            "rows_written": self.upsert.rows_written,
            "rows_quarantined": self.rows_quarantined,
            "duplicates_dropped": self.duplicates_dropped,
            "duplicates_in_input": self.duplicates_in_input,
            "superseded_by_curated": self.upsert.superseded,
            "quarantined_by_reason": dict(sorted(self.quarantined_by_reason.items())),
            "quarantine_path": self.quarantine_path,
            "partitions_written": self.upsert.partitions_written,
            "partitions_in_table": self.upsert.partitions_in_table,
            "files_written": self.upsert.files_written,
            "files_removed": self.upsert.files_removed,
        }


def publish(
    spark: SparkSession,
    lake: Lake,
    dataset: Dataset,
    checked: DataFrame,
    files: List[FileProblem],
    run_id: str,
    now: dt.datetime,
) -> DatasetResult:
    """Quarantines rows with reasons, drops duplicate keys, upserts the rest into curated."""
    names = dataset.partition_names
    # The run's duplicates are ranked before caching, so one aggregation over the cached
    # rows gives every count: rows per (file, reason list) and winners per partition.
    checked = mark_winners(checked, dataset).persist()
    try:
        result = DatasetResult(dataset=dataset, files=files)
        by_file: Dict[str, List[int]] = {}
        incoming: Dict[str, int] = {}
        winner_partition = [F.when(F.col(WINNER), F.col(n)).alias(n) for n in names]
        for row in checked.groupBy(SOURCE_FILE, REASONS, WINNER, *winner_partition).count().collect():
            counts = by_file.setdefault(row[SOURCE_FILE], [0, 0])
            counts[0] += row["count"]
            if row[REASONS]:
                counts[1] += row["count"]
                for reason in row[REASONS]:
                    result.quarantined_by_reason[reason] = result.quarantined_by_reason.get(reason, 0) + row["count"]
            if row[WINNER]:
                partition = partition_dir(dataset, [row[n] for n in names])
                incoming[partition] = incoming.get(partition, 0) + row["count"]
        result.file_rows = {path: (rows, bad) for path, (rows, bad) in by_file.items()}
        known = {f.path for f in files}
        for path in sorted(set(by_file) - known):
            files.append(FileProblem(path=path, problems=["records not matched to a listed file"]))
        result.rows_read = sum(rows for rows, _ in by_file.values())
        result.rows_quarantined = sum(bad for _, bad in by_file.values())

        if result.rows_quarantined:
            result.quarantine_path = write_quarantine(lake, dataset, checked.where(F.size(REASONS) > 0), run_id, now)

        valid_rows = result.rows_read - result.rows_quarantined
        if valid_rows:
            result.duplicates_in_input = valid_rows - sum(incoming.values())
            result.upsert = upsert(spark, lake, dataset, checked.where(F.col(WINNER)), incoming)
        return result
    finally:
        checked.unpersist()


def describe(result: DatasetResult) -> str:
    r = result.as_report()
    return (
        f"{result.dataset.name}: {r['files_processed']} files, {r['rows_read']} rows read, "
        f"{r['rows_written']} written, {r['rows_quarantined']} quarantined, "
        f"{r['duplicates_dropped']} duplicates dropped, {len(r['partitions_written'])} partitions rewritten"
    )


# --------------------------------------------------------------------------- incremental manifest


def processed_files(lake: Lake, dataset: Dataset) -> Dict[str, Dict[str, Any]]:
    """Files of the dataset's feed that earlier runs committed, by lake-relative path."""
    seen: Dict[str, Dict[str, Any]] = {}
    for manifest in lake.list_files(lake.manifest_dir(dataset.name), recursive=False, suffixes=(".json",)):
        document = json.loads(lake.read_bytes(manifest.rel).decode("utf-8"))
        for entry in document.get("files", []):
            seen[entry["path"]] = entry
    return seen


def new_feed_files(lake: Lake, dataset: Dataset) -> List[LakeFile]:
    """Files under ``raw/<feed folder>/`` (recursively, ``.json``/``.jsonl``) not yet in the manifest."""
    assert dataset.incremental is not None
    done = processed_files(lake, dataset)
    listed = lake.list_files(lake.raw_dir(dataset.incremental.raw_folder), recursive=True, suffixes=(".json", ".jsonl"))
    return [f for f in listed if f.rel not in done]


def commit_manifest(lake: Lake, dataset: Dataset, run_id: str, files: Sequence[LakeFile], now: dt.datetime) -> str:
    """Records the files a run processed: one JSON file per run under ``_system/manifests/<dataset>/``.

    Written last, after curated, quarantine and the report: a run that dies
    before it leaves its files unrecorded and the next run processes them again
    (upserts are idempotent), so every change to curated has a report.
    """
    rel = f"{lake.manifest_dir(dataset.name)}{run_id}.json"
    lake.write_json(
        rel,
        {
            "dataset": dataset.name,
            "run_id": run_id,
            "committed_at": iso(now),
            "files": [{"path": f.rel, "size": f.size, "modified_ms": f.modified_ms} for f in files],
        },
    )
    return rel


# --------------------------------------------------------------------------- report


def build_report(
    job: str,
    job_name: str,
    run_id: str,
    now: dt.datetime,
    started_at: dt.datetime,
    results: Sequence[DatasetResult],
) -> Dict[str, Any]:
    """The quality report of one run (see docs/etl.md for the format)."""
    datasets = {r.dataset.name: r.as_report() for r in results}
    totals: Dict[str, Any] = {
        key: sum(d[key] for d in datasets.values())
        for key in ("rows_read", "rows_written", "rows_quarantined", "duplicates_dropped", "files_processed")
    }
    totals["partitions_written"] = sum(len(d["partitions_written"]) for d in datasets.values())
    by_reason: Dict[str, int] = {}
    for d in datasets.values():
        for reason, count in d["quarantined_by_reason"].items():
            by_reason[reason] = by_reason.get(reason, 0) + count
    totals["quarantined_by_reason"] = dict(sorted(by_reason.items()))
    return {
        "report_version": 1,
        "job": job,
        "job_name": job_name,
        "run_id": run_id,
        "status": "succeeded",
        "now": iso(now),
        "started_at": iso(started_at),
        "finished_at": iso(dt.datetime.now(dt.timezone.utc)),
        "spark_version": _spark_version(),
        "datasets": datasets,
        "totals": totals,
    }


def write_report(lake: Lake, job: str, run_id: str, report: Mapping[str, Any]) -> str:
    """Writes the report to ``quality_reports/<job>/<run_id>.json``, after all data (the incremental job then commits its manifests)."""
    rel = lake.report_path(job, run_id)
    lake.write_json(rel, report)
    return rel


def _spark_version() -> str:
    import pyspark

    return pyspark.__version__


def check_spark_version(expected: str) -> None:
    actual = _spark_version()
    if actual != expected:
        print(
            f"[lakehouse] warning: the config's Glue version runs Spark {expected}, this is pyspark {actual}",
            file=sys.stderr,
            flush=True,
        )
