import { Injectable, Logger } from '@nestjs/common';
import { Coalescer } from '@scholarpay/platform';
import { safeError } from '../common/safe-error';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface SmsView {
  smsId: string;
  to: string;
  message: string;
  reference: string | null;
  createdAt: string;
}

interface SmsRow {
  sms_id: string;
  to_msisdn: string;
  message: string;
  reference: string | null;
  created_at: Date;
}

const fromRow = (row: SmsRow): SmsView => ({
  smsId: row.sms_id,
  to: row.to_msisdn,
  message: row.message,
  reference: row.reference,
  createdAt: row.created_at.toISOString(),
});

export interface NewSms {
  to: string;
  message: string;
  reference: string | null;
  clientId: string;
}

type Inserted = { ok: true; sms: SmsView | null } | { ok: false; error: unknown };

@Injectable()
export class SmsRepository {
  private readonly logger = new Logger(SmsRepository.name);
  /** SMS sent together are stored by one INSERT (group commit); nothing is answered before it commits. */
  private readonly inserts = new Coalescer<NewSms, Inserted>((items) => this.insertMany(items), { maxBatch: 500, maxConcurrent: 1 });

  constructor(private readonly dataSource: DataSource) {}

  /** Stores the SMS unless its reference was already used; returns null in that case. */
  async insertIfNew(input: NewSms): Promise<SmsView | null> {
    const outcome = await this.inserts.submit(input);
    if (!outcome.ok) throw outcome.error;
    return outcome.sms;
  }

  private async insertMany(items: NewSms[]): Promise<Inserted[]> {
    // A reference appears once per statement; a repeat in the same group is answered as taken.
    const seen = new Set<string>();
    const first = items.map((item) => {
      if (item.reference === null) return true;
      if (seen.has(item.reference)) return false;
      seen.add(item.reference);
      return true;
    });
    const writes = items.flatMap((item, index) => (first[index] ? [{ index, smsId: randomUUID(), item }] : []));
    try {
      const rows: SmsRow[] = await this.dataSource.query(
        `INSERT INTO sms_messages (sms_id, to_msisdn, message, reference, client_id)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (reference) DO NOTHING
         RETURNING sms_id, to_msisdn, message, reference, created_at`,
        [
          writes.map((write) => write.smsId),
          writes.map((write) => write.item.to),
          writes.map((write) => write.item.message),
          writes.map((write) => write.item.reference),
          writes.map((write) => write.item.clientId),
        ],
      );
      const stored = new Map(rows.map((row) => [row.sms_id, fromRow(row)]));
      const results: Inserted[] = items.map(() => ({ ok: true, sms: null }));
      for (const write of writes) results[write.index] = { ok: true, sms: stored.get(write.smsId) ?? null };
      return results;
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      // One bad message must not fail the others: store them one by one.
      this.logger.warn({ size: items.length, error: safeError(error) }, 'SMS group insert failed; storing its messages one by one');
      const results: Inserted[] = [];
      for (const item of items) results.push((await this.insertMany([item]))[0]);
      return results;
    }
  }

  async findByReference(reference: string): Promise<SmsView | null> {
    const rows: SmsRow[] = await this.dataSource.query(
      `SELECT sms_id, to_msisdn, message, reference, created_at FROM sms_messages WHERE reference = $1`,
      [reference],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The messages sent to a number, oldest first (newest last), at most `limit` of the latest. */
  async listTo(to: string, limit: number): Promise<SmsView[]> {
    const rows: SmsRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT id, sms_id, to_msisdn, message, reference, created_at FROM sms_messages
          WHERE to_msisdn = $1 ORDER BY id DESC LIMIT $2
       ) latest ORDER BY id`,
      [to, limit],
    );
    return rows.map(fromRow);
  }
}
