/**
 * How often a schedule expression fires, on average, in a month. Understands
 * the subset the config accepts: EventBridge/Glue `rate(N unit)` and the six
 * cron fields `cron(minutes hours day-of-month month day-of-week year)` with
 * `*`, `?`, lists, ranges and `/` steps. Good enough for a cost estimate, not
 * a scheduler.
 */
const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const WEEKS_PER_MONTH = DAYS_PER_MONTH / 7;

const RATE_MINUTES: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

export function runsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (\w+)\)$/.exec(expression);
  if (rate) {
    const minutes = Number(rate[1]) * (RATE_MINUTES[rate[2]] ?? NaN);
    if (!(minutes > 0)) throw new Error(`cannot read the rate expression "${expression}"`);
    return (HOURS_PER_MONTH * 60) / minutes;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (!cron) throw new Error(`"${expression}" is neither rate(...) nor cron(...)`);
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron expression "${expression}" needs 6 fields, has ${fields.length}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields;
  const perDay = count(minutes, 0, 59) * count(hours, 0, 23);
  const monthsShare = count(month, 1, 12) / 12;
  let days: number;
  if (isAny(dayOfMonth) && isAny(dayOfWeek)) days = DAYS_PER_MONTH;
  else if (!isAny(dayOfMonth)) days = Math.min(count(dayOfMonth, 1, 31), DAYS_PER_MONTH);
  else days = count(dayOfWeek.replace(/#\d+$/, ""), 1, 7) * WEEKS_PER_MONTH;
  return perDay * days * monthsShare;
}

function isAny(field: string): boolean {
  return field === "*" || field === "?";
}

const NAMES: Record<string, number> = Object.fromEntries([
  ..."SUN MON TUE WED THU FRI SAT".split(" ").map((name, i) => [name, i + 1]),
  ..."JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(" ").map((name, i) => [name, i + 1]),
]);

/** How many values of [min, max] a cron field selects (`L` and `W` count as one day). */
function count(field: string, min: number, max: number): number {
  if (isAny(field)) return max - min + 1;
  const value = (text: string) => NAMES[text.toUpperCase()] ?? (/^\d+$/.test(text) ? Number(text) : NaN);
  return field.split(",").reduce((total, part) => {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    if (range === "*") return total + Math.floor((max - min) / step) + 1;
    const [a, b] = range.split("-");
    const from = value(a);
    const to = b !== undefined ? value(b) : stepText ? max : from;
    if (Number.isNaN(from) || Number.isNaN(to)) return total + 1;
    return total + Math.floor((to - from) / step) + 1;
  }, 0);
}

/** Hours between two runs of a schedule, on average (730 hours a month over its runs). */
export function schedulePeriodHours(expression: string): number {
  return HOURS_PER_MONTH / runsPerMonth(expression);
}
