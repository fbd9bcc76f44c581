/** Calendar months written YYYY-MM, the unit stipends are paid in. */
export type YearMonth = string;

const pattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isYearMonth(value: unknown): value is YearMonth {
  return typeof value === 'string' && pattern.test(value);
}

function index(month: YearMonth): number {
  const match = pattern.exec(month);
  if (!match) throw new Error(`"${month}" is not a month written YYYY-MM`);
  return Number(match[1]) * 12 + (Number(match[2]) - 1);
}

function fromIndex(value: number): YearMonth {
  const year = Math.floor(value / 12);
  const month = (value % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** Months from `first` to `last`, both included; 0 when `last` is before `first`. */
export function monthsInclusive(first: YearMonth, last: YearMonth): number {
  return Math.max(0, index(last) - index(first) + 1);
}

export function compareMonths(a: YearMonth, b: YearMonth): number {
  return index(a) - index(b);
}

export function laterMonth(a: YearMonth, b: YearMonth): YearMonth {
  return compareMonths(a, b) >= 0 ? a : b;
}

export function addMonths(month: YearMonth, count: number): YearMonth {
  return fromIndex(index(month) + count);
}

/** The month a date falls in, in UTC (Mali keeps GMT all year). */
export function monthOf(date: Date): YearMonth {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
