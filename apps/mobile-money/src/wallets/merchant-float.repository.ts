import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../common/sql';

export interface FloatBalance {
  balance: number;
  reserved: number;
}

@Injectable()
export class MerchantFloatRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the float with its initial balance the first time the provider starts (later boots change nothing). */
  async ensureExists(initialBalance: number): Promise<void> {
    await this.dataSource.query(`INSERT INTO merchant_float (id, balance) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [
      initialBalance,
    ]);
  }

  async read(): Promise<FloatBalance> {
    const rows: { balance: string; reserved: string }[] = await this.dataSource.query(
      `SELECT balance, reserved FROM merchant_float WHERE id = 1`,
    );
    if (!rows[0]) throw new Error('the merchant float row is missing');
    return { balance: Number(rows[0].balance), reserved: Number(rows[0].reserved) };
  }

  /** Settles a completed batch: debits what was paid out, releases what was held. */
  async settle(manager: EntityManager, debit: number, released: number): Promise<void> {
    if (debit === 0 && released === 0) return;
    await manager.query(
      `UPDATE merchant_float SET balance = balance - $1, reserved = reserved - $2, updated_at = now() WHERE id = 1`,
      [debit, released],
    );
  }

  /** Adds to the float and records who did it. */
  async topUp(amount: number, by: string, note: string | null): Promise<FloatBalance> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ balance: string; reserved: string }>(
        manager,
        `UPDATE merchant_float SET balance = balance + $1, updated_at = now() WHERE id = 1 RETURNING balance, reserved`,
        [amount],
      );
      if (!rows[0]) throw new Error('the merchant float row is missing');
      await manager.query(
        `INSERT INTO float_topups (id, amount, balance_after, topped_up_by, note) VALUES ($1, $2, $3, $4, $5)`,
        [randomUUID(), amount, rows[0].balance, by, note],
      );
      return { balance: Number(rows[0].balance), reserved: Number(rows[0].reserved) };
    });
  }
}
