/**
 * The merchant float is kept in a fixed number of shards (rows), so concurrent cash-ins reserve on
 * different rows instead of queueing on one: each cash-in reserves on its home shard (from its
 * reference id). Every shard keeps 0 ≤ reserved ≤ balance, so the float as a whole is never
 * over-reserved. When the home shard is short, the slow path locks every shard, spreads the available
 * float evenly again, and reserves on the home shard if the whole float covers the amount.
 */
/** The shard count of a new float (a float keeps the shards it has; see MerchantFloatRepository.shardCount). */
export const FLOAT_SHARDS = 64;

export interface FloatShard {
  shard: number;
  balance: number;
  reserved: number;
}

/** The home shard of a reference id (a UUID): its first 32 bits modulo the shard count. */
export function homeShard(referenceId: string, shards: number): number {
  return parseInt(referenceId.replace(/-/g, '').slice(0, 8), 16) % shards;
}

/** Splits `total` into `parts` whole amounts that differ by at most 1 (the first ones get the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < remainder ? 1 : 0));
}

export type Rebalanced = { covered: true; shards: FloatShard[] } | { covered: false };

/**
 * New shard balances after reserving `reserve.amount` on `reserve.shard` (if any) and adding `topUp`:
 * every shard keeps what it has reserved, the rest of the float is spread evenly. The total balance
 * only changes by `topUp`; `covered` is false when the float cannot cover the reservation.
 */
export function rebalanceShards(
  shards: FloatShard[],
  { reserve, topUp = 0 }: { reserve?: { shard: number; amount: number }; topUp?: number },
): Rebalanced {
  const available = shards.reduce((sum, shard) => sum + shard.balance - shard.reserved, 0) + topUp;
  const amount = reserve?.amount ?? 0;
  if (available < amount) return { covered: false };
  const ordered = [...shards].sort((a, b) => a.shard - b.shard);
  const spread = splitEvenly(available - amount, ordered.length);
  return {
    covered: true,
    shards: ordered.map((shard, index) => {
      const reserved = shard.reserved + (reserve && reserve.shard === shard.shard ? amount : 0);
      return { shard: shard.shard, reserved, balance: reserved + spread[index] };
    }),
  };
}
