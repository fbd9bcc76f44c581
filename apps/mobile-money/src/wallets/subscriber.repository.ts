import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { WalletState } from '../cashins/cashin.rules';
import type { KycLevel } from './kyc-limits';

export interface SubscriberView {
  msisdn: string;
  kycLevel: KycLevel;
  blocked: boolean;
  balance: number;
  dailyCreditDate: string | null;
  dailyCreditTotal: number;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface SubscriberRow {
  msisdn: string;
  kyc_level: number;
  blocked: boolean;
  balance: string;
  daily_credit_date: string | null;
  daily_credit_total: string;
  created_by: string;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
  inserted?: boolean;
}

const COLUMNS = `msisdn, kyc_level, blocked, balance, to_char(daily_credit_date, 'YYYY-MM-DD') AS daily_credit_date,
  daily_credit_total, created_by, updated_by, created_at, updated_at`;

function fromRow(row: SubscriberRow): SubscriberView {
  return {
    msisdn: row.msisdn,
    kycLevel: row.kyc_level as KycLevel,
    blocked: row.blocked,
    balance: Number(row.balance),
    dailyCreditDate: row.daily_credit_date,
    dailyCreditTotal: Number(row.daily_credit_total),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const AUTO_CREATED_BY = 'auto-create';

@Injectable()
export class SubscriberRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByMsisdn(msisdn: string): Promise<SubscriberView | null> {
    const rows: SubscriberRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM subscribers WHERE msisdn = $1`,
      [msisdn],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Creates or updates a wallet's KYC level and blocked flag (a missing `blocked` keeps the current one). */
  async upsert(
    input: { msisdn: string; kycLevel: KycLevel; blocked: boolean | undefined },
    by: string,
  ): Promise<{ subscriber: SubscriberView; created: boolean }> {
    const rows: SubscriberRow[] = await this.dataSource.query(
      `INSERT INTO subscribers (msisdn, kyc_level, blocked, created_by, updated_by)
       VALUES ($1, $2, coalesce($3, false), $4, $4)
       ON CONFLICT (msisdn) DO UPDATE
          SET kyc_level = EXCLUDED.kyc_level,
              blocked = coalesce($3, subscribers.blocked),
              updated_by = EXCLUDED.updated_by,
              updated_at = now()
       RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
      [input.msisdn, input.kycLevel, input.blocked ?? null, by],
    );
    return { subscriber: fromRow(rows[0]), created: rows[0].inserted === true };
  }

  /** Opens wallets for numbers credited for the first time (sorted, so concurrent workers never deadlock). */
  async createMissing(manager: EntityManager, msisdns: string[], kycLevel: KycLevel): Promise<void> {
    await manager.query(
      `INSERT INTO subscribers (msisdn, kyc_level, created_by, updated_by)
       SELECT m, $2, '${AUTO_CREATED_BY}', '${AUTO_CREATED_BY}' FROM unnest($1::text[]) AS m ORDER BY m
       ON CONFLICT (msisdn) DO NOTHING`,
      [[...msisdns].sort(), kycLevel],
    );
  }

  /** Locks the wallets of a batch, in msisdn order. */
  async lockWallets(manager: EntityManager, msisdns: string[]): Promise<Map<string, WalletState>> {
    const rows: SubscriberRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM subscribers WHERE msisdn = ANY($1::text[]) ORDER BY msisdn FOR UPDATE`,
      [msisdns],
    );
    return new Map(
      rows.map((row) => {
        const view = fromRow(row);
        return [
          view.msisdn,
          {
            kycLevel: view.kycLevel,
            blocked: view.blocked,
            balance: view.balance,
            dailyCreditDate: view.dailyCreditDate,
            dailyCreditTotal: view.dailyCreditTotal,
          },
        ];
      }),
    );
  }

  /** Applies the credits of a batch to locked wallets (relative to the stored balance; CHECKs guard the rest). */
  async applyCredits(
    manager: EntityManager,
    credits: { msisdn: string; credit: number; dailyCreditDate: string; dailyCreditTotal: number }[],
  ): Promise<void> {
    if (credits.length === 0) return;
    const result: [unknown[], number] = await manager.query(
      `UPDATE subscribers s
          SET balance = s.balance + v.credit, daily_credit_date = v.day::date, daily_credit_total = v.total, updated_at = now()
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) AS v(msisdn, credit, day, total)
        WHERE s.msisdn = v.msisdn`,
      [
        credits.map((entry) => entry.msisdn),
        credits.map((entry) => entry.credit),
        credits.map((entry) => entry.dailyCreditDate),
        credits.map((entry) => entry.dailyCreditTotal),
      ],
    );
    if (result[1] !== credits.length) {
      throw new Error(`credited ${result[1]} wallets instead of ${credits.length}; rolling the batch back`);
    }
  }

  /** true when the number has a wallet that is not blocked. */
  async isActive(msisdn: string): Promise<boolean> {
    const rows: { blocked: boolean }[] = await this.dataSource.query(
      `SELECT blocked FROM subscribers WHERE msisdn = $1`,
      [msisdn],
    );
    return rows.length > 0 && !rows[0].blocked;
  }
}
