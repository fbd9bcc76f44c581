import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';
import { FLOAT_SHARDS, FloatShard, rebalanceShards, splitEvenly } from './float-shards';

export interface FloatBalance {
  balance: number;
  reserved: number;
}

interface ShardRow {
  shard: number;
  balance: string;
  reserved: string;
}

const shardFromRow = (row: ShardRow): FloatShard => ({
  shard: row.shard,
  balance: Number(row.balance),
  reserved: Number(row.reserved),
});

@Injectable()
export class MerchantFloatRepository {
  private shards = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** How many shards the float has (read at boot by `ensureExists`). */
  get shardCount(): number {
    if (this.shards === 0) throw new Error('the merchant float is not loaded yet');
    return this.shards;
  }

  /** Creates the float, spread over its shards, the first time the provider starts (later boots change nothing). */
  async ensureExists(initialBalance: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO float_shards (shard, balance)
       SELECT s - 1, share FROM unnest($1::bigint[]) WITH ORDINALITY AS v(share, s)
        WHERE NOT EXISTS (SELECT 1 FROM float_shards)
       ON CONFLICT (shard) DO NOTHING`,
      [splitEvenly(initialBalance, FLOAT_SHARDS)],
    );
    const [{ count, top }]: { count: number; top: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count, max(shard)::int AS top FROM float_shards`,
    );
    if (count === 0 || top !== count - 1)
      throw new Error(`the float shards are not numbered 0..${count - 1}`);
    this.shards = count;
  }

  async read(): Promise<FloatBalance> {
    const rows: { balance: string | null; reserved: string | null }[] = await this.dataSource.query(
      `SELECT sum(balance) AS balance, sum(reserved) AS reserved FROM float_shards`,
    );
    if (rows[0]?.balance === null || rows[0]?.balance === undefined)
      throw new Error('the merchant float has no shards');
    return { balance: Number(rows[0].balance), reserved: Number(rows[0].reserved) };
  }

  /**
   * The slow path of a reservation, for a pending cash-in whose home shard was short: locks the
   * cash-in (so the completion worker cannot finish it meanwhile) and reserves across the whole
   * float. The completion worker does the same for a cash-in it reaches first.
   */
  async reserveAcrossShards(cashinId: number, shard: number, amount: number): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const pending = await manager.query(
        `SELECT 1 FROM cashins WHERE id = $1 AND status = 'PENDING' FOR UPDATE`,
        [cashinId],
      );
      if (pending.length === 0) return false;
      const held = await manager.query(`SELECT 1 FROM float_holds WHERE cashin_id = $1`, [cashinId]);
      if (held.length > 0) return true;
      const reserved = await this.reserveAcrossShardsWithin(manager, [{ cashinId, shard, amount }]);
      return reserved.has(cashinId);
    });
  }

  /**
   * Reserves for pending cash-ins without a hold, which the caller's transaction holds locked: locks
   * every shard and, cash-in by cash-in, spreads the free float evenly again and reserves on the
   * home shard when the whole float covers the amount. Returns the cash-ins it reserved for.
   */
  async reserveAcrossShardsWithin(
    manager: EntityManager,
    reservations: { cashinId: number; shard: number; amount: number }[],
  ): Promise<Set<number>> {
    if (reservations.length === 0) return new Set();
    let shards = await this.lockAllShards(manager);
    const reserved: typeof reservations = [];
    for (const reservation of reservations) {
      const result = rebalanceShards(shards, {
        reserve: { shard: reservation.shard, amount: reservation.amount },
      });
      if (!result.covered) continue;
      shards = result.shards;
      reserved.push(reservation);
    }
    if (reserved.length === 0) return new Set();
    await this.writeShards(manager, shards);
    await manager.query(
      `INSERT INTO float_holds (cashin_id, shard, amount)
       SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::bigint[])`,
      [
        reserved.map((entry) => entry.cashinId),
        reserved.map((entry) => entry.shard),
        reserved.map((entry) => entry.amount),
      ],
    );
    return new Set(reserved.map((entry) => entry.cashinId));
  }

  /** Settles a completed batch, shard by shard (locked in shard order): debits what was paid, releases what was held. */
  async settle(
    manager: EntityManager,
    perShard: Map<number, { debit: number; released: number }>,
  ): Promise<void> {
    const entries = [...perShard.entries()]
      .filter(([, value]) => value.debit !== 0 || value.released !== 0)
      .sort((a, b) => a[0] - b[0]);
    if (entries.length === 0) return;
    await manager.query(
      `SELECT shard FROM float_shards WHERE shard = ANY($1::smallint[]) ORDER BY shard FOR UPDATE`,
      [entries.map(([shard]) => shard)],
    );
    const result: [unknown[], number] = await manager.query(
      `UPDATE float_shards f SET balance = f.balance - v.debit, reserved = f.reserved - v.released, updated_at = now()
         FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS v(shard, debit, released)
        WHERE f.shard = v.shard`,
      [
        entries.map(([shard]) => shard),
        entries.map(([, value]) => value.debit),
        entries.map(([, value]) => value.released),
      ],
    );
    if (result[1] !== entries.length)
      throw new Error(`settled ${result[1]} float shards instead of ${entries.length}`);
  }

  /** Adds to the float (spread over the shards) and records who did it and why. */
  async topUp(amount: number, by: string, note: string | null): Promise<FloatBalance> {
    return this.dataSource.transaction(async (manager) => {
      const shards = await this.lockAllShards(manager);
      const result = rebalanceShards(shards, { topUp: amount });
      if (!result.covered) throw new Error('a top-up cannot leave the float uncovered');
      await this.writeShards(manager, result.shards);
      const balance = result.shards.reduce((sum, shard) => sum + shard.balance, 0);
      const reserved = result.shards.reduce((sum, shard) => sum + shard.reserved, 0);
      await manager.query(
        `INSERT INTO float_topups (id, amount, balance_after, topped_up_by, note) VALUES ($1, $2, $3, $4, $5)`,
        [randomUUID(), amount, balance, by, note],
      );
      return { balance, reserved };
    });
  }

  private async lockAllShards(manager: EntityManager): Promise<FloatShard[]> {
    const rows = await queryRows<ShardRow>(
      manager,
      `SELECT shard, balance, reserved FROM float_shards ORDER BY shard FOR UPDATE`,
    );
    if (rows.length === 0) throw new Error('the merchant float has no shards');
    return rows.map(shardFromRow);
  }

  private async writeShards(manager: EntityManager, shards: FloatShard[]): Promise<void> {
    await manager.query(
      `UPDATE float_shards f SET balance = v.balance, reserved = v.reserved, updated_at = now()
         FROM unnest($1::smallint[], $2::bigint[], $3::bigint[]) AS v(shard, balance, reserved)
        WHERE f.shard = v.shard`,
      [
        shards.map((shard) => shard.shard),
        shards.map((shard) => shard.balance),
        shards.map((shard) => shard.reserved),
      ],
    );
  }
}
