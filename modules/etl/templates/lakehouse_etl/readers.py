"""Reading raw files into raw records: one row per input record, nothing cast or judged yet.

Each record keeps its raw values as strings, its text, its source file, its
place in arrival order and a ``_malformed`` flag (it could not be parsed at
all). Casting and the quality rules are ``rules.validate``'s, so CSV and JSON
records are judged by the same code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from .lake_io import Lake, LakeFile, spark_paths
from .model import ARRIVAL, MALFORMED_FLAG, RAW_RECORD, SOURCE_FILE, Dataset

DEFAULT_MAX_RECORD_BYTES = 1024 * 1024
"""Records (lines) longer than this are quarantined unparsed as ``malformed_record``."""

RAW_RECORD_KEEP_CHARS = 65536
"""How much of an oversized record's text the quarantine keeps."""

FILE_MAP_LITERAL_LIMIT = 1000
"""Up to this many files, a read maps file URIs to lake paths with a literal map in the plan
(no Spark job); above it, with a broadcast join (keeps the plan small)."""

_ARRIVAL_TYPE = "struct<arrival_ms:bigint,source_file:string,block_start:bigint,line:bigint>"
_CORRUPT = "_corrupt_record"
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class FileProblem:
    path: str
    problems: List[str] = field(default_factory=list)


def _read_lines(spark: SparkSession, files: Sequence[LakeFile], max_record_bytes: int) -> DataFrame:
    """One row per non-blank line: ``value``, ``_file_uri``, ``_block_start``, ``_line``, ``_too_long``, ``_bad_utf8``.

    ``_line`` grows with the line's position within its split (``_block_start``), so
    (``_block_start``, ``_line``) orders the lines of one file as they are in it.
    """
    lines = spark.read.text(spark_paths(files)).select(
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
