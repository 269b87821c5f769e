import { z } from "zod";

/**
 * Column types a dataset may declare. They are Glue/Hive type names, the one
 * vocabulary every consumer maps from: the Glue catalog uses them as is, the
 * PySpark renderer maps them to `StructType` fields and DuckDB views cast to
 * their SQL equivalents.
 */
export const SCALAR_COLUMN_TYPES = [
  "string",
  "int",
  "bigint",
  "double",
  "boolean",
  "date",
  "timestamp",
] as const;

/** `decimal(precision,scale)`, e.g. `decimal(12,2)` for money. */
export const DECIMAL_TYPE_PATTERN = /^decimal\((\d{1,2}),(\d{1,2})\)$/;

export type ScalarColumnType = (typeof SCALAR_COLUMN_TYPES)[number];
export type DecimalColumnType = `decimal(${number},${number})`;
export type ColumnType = ScalarColumnType | DecimalColumnType;

export const columnTypeSchema = z.string().refine(
  (value) => {
    if ((SCALAR_COLUMN_TYPES as readonly string[]).includes(value)) return true;
    const match = DECIMAL_TYPE_PATTERN.exec(value);
    if (!match) return false;
    const precision = Number(match[1]);
    const scale = Number(match[2]);
    return precision >= 1 && precision <= 38 && scale <= precision;
  },
  {
    message: `must be one of ${SCALAR_COLUMN_TYPES.join(", ")} or decimal(p,s) with 1 <= p <= 38 and s <= p`,
  },
) as unknown as z.ZodType<ColumnType>;

/** Lower snake case, what Glue, Athena and Spark all accept unquoted. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export const identifierSchema = z
  .string()
  .regex(IDENTIFIER_PATTERN, "must be lower snake case: a-z first, then a-z, 0-9 or _, at most 63 characters");

export const columnSchema = z
  .object({
    /** Column name, lower snake case. */
    name: identifierSchema,
    /** Glue/Hive type name. */
    type: columnTypeSchema,
    /** Shown in the Glue catalog and the generated docs. */
    description: z.string().max(255).optional(),
  })
  .strict();

export type ColumnConfig = z.infer<typeof columnSchema>;

/** Timestamp parts a partition key may be derived from. */
export const PARTITION_TRANSFORMS = ["year", "month", "day", "hour"] as const;
export type PartitionTransform = (typeof PARTITION_TRANSFORMS)[number];

export const partitionKeySchema = z
  .object({
    /** Partition column name as it appears in the path (`year=2026/`). */
    name: identifierSchema,
    /** Part of the source column's timestamp this key holds, as an integer. */
    transform: z.enum(PARTITION_TRANSFORMS),
  })
  .strict();

export const partitioningSchema = z
  .object({
    /** A `timestamp` (or `date`, for year/month/day) column the keys derive from. */
    sourceColumn: identifierSchema,
    /** Keys in path order, e.g. year, month, day. */
    keys: z.array(partitionKeySchema).min(1).max(4),
    /**
     * The years Athena's partition projection enumerates (`projection.year.range`), inclusive.
     * Athena sees no partition outside them, so the jobs quarantine a row whose year falls
     * outside (`outside_partition_range:<sourceColumn>`) instead of writing data no query
     * would find. Months, days and hours always fall in their ranges. Only used with a `year` key.
     * @default { from: 2020, to: 2040 }
     */
    years: z
      .object({ from: z.number().int().min(1970).max(9999), to: z.number().int().min(1970).max(9999) })
      .strict()
      .refine((y) => y.from <= y.to, { message: "from must not be after to", path: ["to"] })
      .refine((y) => y.to - y.from < 200, { message: "spans at most 200 years (projection enumerates every year)", path: ["to"] })
      .default({ from: 2020, to: 2040 }),
  })
  .strict();

export type PartitioningConfig = z.infer<typeof partitioningSchema>;
