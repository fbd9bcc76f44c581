import { Client } from 'pg';

/** Direct reads of the provider's tables, to check money invariants behind the API. */
export class DbProbe {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<DbProbe> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new DbProbe(client);
  }

  async query<T = any>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.client.query(sql, parameters)).rows as T[];
  }

  async scalar(sql: string, parameters: unknown[] = []): Promise<number> {
    const rows = await this.query<{ value: string | number | null }>(sql, parameters);
    return Number(rows[0]?.value ?? 0);
  }

  /**
   * The provider's books balance: float paid out = sum of successful cash-ins = sum of wallet
   * balances (wallets are only ever credited here), and reserved = the holds of pending cash-ins.
   */
  async assertBooksBalance(initialFloat: number, topUps = 0): Promise<void> {
    const paid = await this.scalar(
      `SELECT coalesce(sum(amount), 0) AS value FROM mobile_money.cashins WHERE status = 'SUCCESS'`,
    );
    const wallets = await this.scalar(
      `SELECT coalesce(sum(balance), 0) AS value FROM mobile_money.subscribers`,
    );
    const float = (
      await this.query<{ balance: string; reserved: string }>(
        `SELECT sum(balance) AS balance, sum(reserved) AS reserved FROM mobile_money.float_shards`,
      )
    )[0];
    const shardsBroken = await this.scalar(
      `SELECT count(*) AS value FROM mobile_money.float_shards f
        WHERE f.reserved <> (SELECT coalesce(sum(amount), 0) FROM mobile_money.float_holds h WHERE h.shard = f.shard)`,
    );
    expect(shardsBroken).toBe(0);
    const held = await this.scalar(`SELECT coalesce(sum(amount), 0) AS value FROM mobile_money.float_holds`);
    const heldOfFinal = await this.scalar(
      `SELECT count(*) AS value FROM mobile_money.float_holds h JOIN mobile_money.cashins c ON c.id = h.cashin_id WHERE c.status <> 'PENDING'`,
    );
    expect({
      paidFromFloat: initialFloat + topUps - Number(float.balance),
      wallets,
      reserved: Number(float.reserved),
      heldOfFinal,
    }).toEqual({
      paidFromFloat: paid,
      wallets: paid,
      reserved: held,
      heldOfFinal: 0,
    });
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
