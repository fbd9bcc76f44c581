/**
 * Amounts of West African CFA francs. XOF has no minor unit, so an amount is a whole number of
 * francs: integers end to end (JSON numbers within the safe range, `bigint` in Postgres).
 */
export type Xof = number;

export class InvalidAmountError extends Error {
  constructor(readonly value: unknown, reason: string) {
    super(`invalid XOF amount ${String(value)}: ${reason}`);
    this.name = 'InvalidAmountError';
  }
}

export function assertXof(value: unknown, { allowZero = true } = {}): Xof {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidAmountError(value, 'must be a whole number of francs');
  }
  if (value < 0 || (!allowZero && value === 0)) throw new InvalidAmountError(value, allowZero ? 'must not be negative' : 'must be positive');
  return value;
}

/** Sum that refuses to leave the safe-integer range instead of silently losing francs. */
export function sumXof(values: Iterable<Xof>): Xof {
  let total = 0;
  for (const value of values) {
    total += value;
    if (!Number.isSafeInteger(total)) throw new InvalidAmountError(total, 'sum exceeds the safe integer range');
  }
  return total;
}

// Built once: constructing a NumberFormat costs far more than formatting with it.
const frenchWholeNumber = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/** "25 000 FCFA", as amounts are written in Mali (narrow no-break space between thousands). */
export function formatXof(amount: Xof): string {
  return `${frenchWholeNumber.format(amount).replace(/\u202f|\u00a0/g, ' ')} FCFA`;
}
