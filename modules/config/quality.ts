import { z } from "zod";
import { identifierSchema } from "./columns";
import { portableRegexProblem } from "./regex-dialect";

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
 * - `outside_partition_range:<column>`  implicit: the partition source column's year is outside
 *                                `partitioning.years`, where Athena's partition projection cannot see it
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
      /**
       * A regular expression the whole value must match: the rule checks
       * `^(?:<regex>)\z` with Spark's `rlike`, that is Java's `java.util.regex`.
       * Only the subset that Java and JavaScript (where the config is
       * validated) read the same way is accepted; anything else is rejected
       * naming the construct (`modules/config/regex-dialect.ts` has the list):
       *
       * - accepted: literals, `\` before a non-alphanumeric character, `.`,
       *   classes `[a-z]` `[^...]`, `\d \D \w \W` (ASCII in both), `\s \S`
       *   (Java's ASCII whitespace applies), `\t \n \r \f \xhh \uhhhh`,
       *   quantifiers `* + ? {n} {n,} {n,m}` and their lazy forms, `|`,
       *   `(...)`, `(?:...)`, `(?<name>...)` (name: ASCII letter, then letters
       *   or digits), `\1`-`\9`, `\k<name>`, lookahead `(?=` `(?!`, and `^` / `$`
       *   at the start / end of the pattern or of an alternative (redundant:
       *   the whole value must match anyway)
       * - rejected, Java only: possessive quantifiers `*+ ++ ?+`, atomic groups
       *   `(?>`, inline flags `(?i)`, `\A \z \Z \G \Q \E \h \H \R \X`, `\x{...}`,
       *   class union `[a[b]]` and intersection `&&`
       * - rejected, different meaning: `\p{...}` (needs the u flag in
       *   JavaScript), `\b \B`, `\v`, `\cX`, `\0`, escaped letters without a
       *   meaning, a `{` that is not a quantifier, `[]`, `^`/`$` mid-pattern,
       *   characters beyond the Basic Multilingual Plane
       * - rejected: lookbehind `(?<=` `(?<!` (Java needs a bounded length),
       *   Python's `(?P<name>`, and `/.../flags` literals (no flags: write
       *   `[Aa]` for a case-insensitive letter)
       *
       * The rule ends in `\z` (end of input), not `$`, which in Java also
       * matches before a final line terminator: `abc` rejects `"abc\n"`.
       */
      regex: z
        .string()
        .min(1)
        .superRefine((regex, ctx) => {
          const problem = portableRegexProblem(regex);
          if (problem) ctx.addIssue({ code: "custom", message: `"${regex}" ${problem}` });
        }),
    })
    .strict(),
  z
    .object({
      rule: z.literal("foreign_key"),
      column: identifierSchema,
      /**
       * The dataset (by name) whose primary key this column references: a row passes when its
       * value is one of that dataset's curated keys. The target's primary key must be a single
       * column of the same type; the column names may differ (`buyer_id` -> `customers.customer_id`).
       */
      references: identifierSchema,
    })
    .strict(),
  z
    .object({
      rule: z.literal("not_in_future"),
      column: identifierSchema,
      /**
       * Clock skew accepted before a timestamp counts as in the future, 0..10080 minutes;
       * 0 accepts none (any timestamp after the run's clock is quarantined). @default 60
       */
      toleranceMinutes: z.number().int().min(0).max(10_080).default(60),
    })
    .strict(),
  z
    .object({
      rule: z.literal("product"),
      /** The column that must equal the product of `factors`. */
      column: identifierSchema,
      factors: z.array(identifierSchema).min(2),
      /** Absolute difference accepted (rounding), at least 0; 0 requires exact equality. @default 0.01 */
      tolerance: z.number().min(0).default(0.01),
    })
    .strict(),
]);

export type QualityRule = z.infer<typeof qualityRuleSchema>;
