import { Injectable } from '@nestjs/common';
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

@Injectable()
export class SmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the SMS unless its reference was already used; returns null in that case. */
  async insertIfNew(input: {
    to: string;
    message: string;
    reference: string | null;
    clientId: string;
  }): Promise<SmsView | null> {
    const rows: SmsRow[] = await this.dataSource.query(
      `INSERT INTO sms_messages (sms_id, to_msisdn, message, reference, client_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (reference) DO NOTHING
       RETURNING sms_id, to_msisdn, message, reference, created_at`,
      [randomUUID(), input.to, input.message, input.reference, input.clientId],
    );
    return rows[0] ? fromRow(rows[0]) : null;
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
