import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredToken {
  clientId: string;
  expiresAt: Date;
}

@Injectable()
export class AccessTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new token's hash; returns its expiry as the database clock sets it. */
  async saveIssued(tokenHash: string, clientId: string, ttlSeconds: number): Promise<Date> {
    const rows: { expires_at: Date }[] = await this.dataSource.query(
      `INSERT INTO access_tokens (token_hash, client_id, expires_at)
       VALUES ($1, $2, now() + $3 * interval '1 second') RETURNING expires_at`,
      [tokenHash, clientId, ttlSeconds],
    );
    return rows[0].expires_at;
  }

  async findByHash(tokenHash: string): Promise<StoredToken | null> {
    const rows: { client_id: string; expires_at: Date }[] = await this.dataSource.query(
      `SELECT client_id, expires_at FROM access_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ? { clientId: rows[0].client_id, expiresAt: rows[0].expires_at } : null;
  }

  /** Tokens expired for over a week: "expired" (42) has turned into "unknown" (41) by then. */
  async deleteLongExpired(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM access_tokens WHERE expires_at < now() - interval '7 days'`,
    );
    return result[1];
  }
}
