import { z } from "zod";
import { identifierSchema } from "./columns";

/**
 * Data quality rules. Each failing rule adds a reason code to the row, and a
 * row with any reason lands in `quarantine/` instead of `curated/`. Every
 * column is also checked implicitly: a value that does not cast to the
 * column's declared type fails with `invalid_type:<column>`.
 *
 * Reason codes (stable; dashboards and tests key on them):
 * - `null_value:<column>`        not_null
 * - `not_positive:<column>`      positive
 * - `not_allowed:<column>`       allowed_values
 * - `pattern_mismatch:<column>`  pattern
 * - `unknown_<column>`           foreign_key (e.g. `unknown_customer_id`)
 * - `future_timestamp:<column>`  not_in_future
 * - `product_mismatch:<column>`  product (e.g. revenue != quantity * unit_price)
 * - `invalid_type:<column>`      implicit type check
 * - `malformed_record`           the line could not be parsed at all
 */
export const qualityRuleSchema = z.discriminatedUnion("rule", [
  z
    .object({
      rule: z.literal("not_null"),
      /** Columns that must be present and non-empty. */
      columns: z.array(identifierSchema).min(1),
    })
    .strict(),
  z
    .object({
      rule: z.literal("positive"),
      /** Numeric columns that must be > 0. */
      columns: z.array(identifierSchema).min(1),
    })
    .strict(),
  z
    .object({
      rule: z.literal("allowed_values"),
      column: identifierSchema,
      /** The complete set of accepted values (compared as strings). */
      values: z.array(z.string()).min(1),
    })
    .strict(),
  z
    .object({
      rule: z.literal("pattern"),
      column: identifierSchema,
      /** A regular expression the whole value must match (Java/Python syntax subset). */
      regex: z.string().min(1),
    })
    .strict(),
  z
    .object({
      rule: z.literal("foreign_key"),
      column: identifierSchema,
      /** The dataset (by name) whose primary key this column references. */
      references: identifierSchema,
    })
    .strict(),
  z
    .object({
      rule: z.literal("not_in_future"),
      column: identifierSchema,
      /** Clock skew accepted before a timestamp counts as in the future. @default 60 */
      toleranceMinutes: z.number().int().min(0).max(10_080).default(60),
    })
    .strict(),
  z
    .object({
      rule: z.literal("product"),
      /** The column that must equal the product of `factors`. */
      column: identifierSchema,
      factors: z.array(identifierSchema).min(2),
      /** Absolute difference accepted (rounding). @default 0.01 */
      tolerance: z.number().min(0).default(0.01),
    })
    .strict(),
]);

export type QualityRule = z.infer<typeof qualityRuleSchema>;
