import type { TransformFnParams } from 'class-transformer';

/**
 * A number in a query string, read strictly: only plain digits become a number ("2014" → 2014),
 * anything else ("abc", "", "0x7DE", "1e3", a repeated parameter) is left as it came, for the
 * validators to refuse by name. `Number()` would read "" as 0 and "0x7DE" as 2014.
 */
export function wholeNumberFromQuery({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}
