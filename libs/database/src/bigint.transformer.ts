import { ValueTransformer } from 'typeorm';

/**
 * Postgres `bigint` arrives from pg as a string (it may exceed 2^53). XOF amounts and counters
 * stay far below that, so we read them as numbers and refuse, loudly, anything that is not safe.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null): number | null => {
    if (value === null || value === undefined) return null;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(parsed)) throw new Error(`bigint value ${String(value)} is not a safe integer`);
    return parsed;
  },
};
