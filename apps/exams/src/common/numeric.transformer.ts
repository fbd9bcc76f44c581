import type { ValueTransformer } from 'typeorm';

/** Postgres `numeric` arrives from pg as a string; scores have two decimals at most, so a number is exact enough. */
export const numericToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null): number | null => {
    if (value === null || value === undefined) return null;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`numeric value ${String(value)} is not finite`);
    return parsed;
  },
};

/** `date` columns stay 'YYYY-MM-DD' strings: no time zone may shift an exam day. */
export const dateAsString: ValueTransformer = {
  to: (value: string | null | undefined) => value,
  from: (value: string | Date | null): string | null => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value.slice(0, 10);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  },
};
