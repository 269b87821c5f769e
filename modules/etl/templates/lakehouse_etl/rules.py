"""Validation: raw records cast to the declared types, with the reason codes of every rule they break.

Rows are never dropped here: a row that breaks a rule carries its reasons in
``_reasons`` (codes as in ``modules/config/quality.ts``) and
``publishing.publish`` sends it to quarantine, so every row read is accounted for.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any, Dict, List, Mapping, Optional, Sequence

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .curated import has_table, read_table
from .lake_io import Lake
from .model import ARRIVAL, MALFORMED_FLAG, ORIGINAL, RAW_RECORD, REASONS, SOURCE_FILE, Dataset
from .runtime import iso

MALFORMED = "malformed_record"
"""Reason code of a record that could not be parsed at all."""

TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_PATTERN = r"^[+-]?\d+$"

_PARTITION_TRANSFORMS = {
    "year": F.year,
    "month": F.month,
    "day": F.dayofmonth,
    "hour": F.hour,
}


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
        if has_table(spark, lake, target):
            frame = read_table(spark, lake, target).select(F.col(key).cast("string").alias("_key"))
        else:
            frame = spark.createDataFrame([], "_key string")
        keys[column] = frame
    return keys
