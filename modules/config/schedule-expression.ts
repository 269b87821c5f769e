/**
 * Schedule expressions checked as EventBridge (and Glue triggers, which take
 * the same cron format) check them, so a bad expression fails at config time
 * instead of at `terraform apply`.
 *
 * - `rate(N unit)`: N a positive whole number; the unit is singular for 1
 *   (`rate(1 minute)`, `rate(1 hour)`, `rate(1 day)`) and plural above
 *   (`rate(5 minutes)`). EventBridge rejects `rate(1 hours)` and `rate(5 hour)`.
 * - `cron(minutes hours day-of-month month day-of-week year)`: exactly six
 *   fields, and one of day-of-month or day-of-week must be `?` (not both,
 *   not neither). Each field takes `*`, numbers or names in its range, lists
 *   (`,`), ranges (`-`) and steps (`/`); day-of-month also `L`, `LW` and
 *   `<day>W`, day-of-week also `L`, `<day>L` and `<day>#<n>`.
 *
 * Glue triggers take cron expressions only.
 */
export type ScheduleKind = "eventbridge" | "glue";

/** Examples every message ends with, so the fix is on screen. */
export const SCHEDULE_EXAMPLES = {
  rate: '"rate(1 hour)" or "rate(15 minutes)"',
  cron: '"cron(0 2 * * ? *)" (daily at 02:00 UTC) or "cron(0 8 ? * MON-FRI *)"',
} as const;

const RATE_UNITS = ["minute", "hour", "day"] as const;

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(" ");
const DAYS = "SUN MON TUE WED THU FRI SAT".split(" ");

const CRON_FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS },
  { name: "year", min: 1970, max: 2199 },
];

/**
 * What is wrong with a schedule expression, or undefined when EventBridge
 * (`kind: "eventbridge"`, rate or cron) or a Glue trigger (`kind: "glue"`,
 * cron only) accepts it. The message shows a valid example.
 */
export function scheduleExpressionProblem(expression: string, kind: ScheduleKind = "eventbridge"): string | undefined {
  const examples = kind === "glue" ? SCHEDULE_EXAMPLES.cron : `${SCHEDULE_EXAMPLES.rate}, or ${SCHEDULE_EXAMPLES.cron}`;
  if (/^rate\(/.test(expression)) {
    if (kind === "glue") return `"${expression}": Glue triggers take cron expressions only, e.g. ${SCHEDULE_EXAMPLES.cron}`;
    return rateProblem(expression);
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(expression, cron[1]);
  const shape = kind === "glue" ? '"cron(...)"' : '"rate(N unit)" or "cron(...)"';
  return `"${expression}" must be ${shape}, e.g. ${examples}`;
}

function rateProblem(expression: string): string | undefined {
  const match = /^rate\((\S+) (\S+)\)$/.exec(expression);
  if (!match) return `"${expression}" must be "rate(N unit)" with one space, e.g. ${SCHEDULE_EXAMPLES.rate}`;
  const [, value, unit] = match;
  if (!/^[1-9]\d*$/.test(value)) {
    return `"${expression}": the rate must be a positive whole number, e.g. ${SCHEDULE_EXAMPLES.rate}`;
  }
  const singular = unit.replace(/s$/, "");
  if (!(RATE_UNITS as readonly string[]).includes(singular)) {
    return `"${expression}": the unit must be minute(s), hour(s) or day(s), e.g. ${SCHEDULE_EXAMPLES.rate}`;
  }
  const expected = value === "1" ? singular : `${singular}s`;
  if (unit !== expected) {
    const why = value === "1" ? "a rate of 1 takes the singular unit" : "a rate above 1 takes the plural unit";
    return `"${expression}": ${why}: "rate(${value} ${expected})"`;
  }
  return undefined;
}

function cronProblem(expression: string, body: string): string | undefined {
  const fields = body.trim() === "" ? [] : body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return (
      `"${expression}" has ${fields.length} field${fields.length === 1 ? "" : "s"}; a cron expression needs exactly six ` +
      `(minutes hours day-of-month month day-of-week year), e.g. ${SCHEDULE_EXAMPLES.cron}`
    );
  }
  const [dayOfMonth, dayOfWeek] = [fields[2], fields[4]];
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    const which = dayOfMonth === "?" ? "both are" : "neither is";
    return (
      `"${expression}": one of day-of-month or day-of-week must be "?" and the other not (${which}), ` +
      `e.g. "cron(0 2 * * ? *)" (every day) or "cron(0 8 ? * MON-FRI *)" (weekdays)`
    );
  }
  for (let i = 0; i < 6; i++) {
    const problem = fieldProblem(fields[i], CRON_FIELDS[i]);
    if (problem) return `"${expression}": ${CRON_FIELDS[i].name} "${fields[i]}" ${problem}, e.g. ${SCHEDULE_EXAMPLES.cron}`;
  }
  return undefined;
}

/** Why one cron field is not valid, or undefined. */
function fieldProblem(field: string, spec: CronField): string | undefined {
  const range = `${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""}`;
  if (field === "?") return spec.name === "day-of-month" || spec.name === "day-of-week" ? undefined : 'cannot be "?" (only day-of-month or day-of-week can)';
  if (spec.name === "day-of-month" && /^(L|LW|([1-9]|[12]\d|3[01])W)$/.test(field)) return undefined;
  if (spec.name === "day-of-week" && /^(L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/i.test(field)) {
    const day = /^([A-Z]{3})/i.exec(field)?.[1];
    return day && !DAYS.includes(day.toUpperCase()) ? `names an unknown day "${day}"; allowed: ${range}` : undefined;
  }
  const value = (text: string): number | undefined => {
    if (/^\d+$/.test(text)) return Number(text);
    const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    return index >= 0 ? index + 1 : undefined;
  };
  for (const part of field.split(",")) {
    const [base, step, extra] = part.split("/");
    if (extra !== undefined || base === "") return `is not a list of values, ranges and steps (${range})`;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `has a step "/${step}" that is not a positive whole number`;
    if (base === "*") continue;
    const bounds = base.split("-");
    if (bounds.length > 2) return `is not a list of values, ranges and steps (${range})`;
    for (const bound of bounds) {
      const v = value(bound);
      if (v === undefined || v < spec.min || v > spec.max) return bound === field ? `is outside ${range}` : `has "${bound}", outside ${range}`;
    }
  }
  return undefined;
}
