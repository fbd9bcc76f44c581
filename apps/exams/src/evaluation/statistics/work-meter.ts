/**
 * Counts the terms a computation visits in loops that grow with the data (pmf terms, exp() calls,
 * multiply-adds), so tests can check that work stays within its estimate without timing anything.
 */
export interface WorkMeter {
  terms: number;
}
