import type { Admin, Kafka } from 'kafkajs';

/**
 * Whether the Kafka cluster answers, asked with a metadata request at most once per `cacheMs`
 * (health checks come every few seconds, from several probes). The outbox producer alone cannot
 * tell: an idle relay sends nothing, so its connection's loss goes unnoticed until the next event.
 */
export class BrokerProbe {
  private admin: Admin | null = null;
  private connected = false;
  private last: { at: number; error: Error | null } | null = null;
  private inFlight: Promise<Error | null> | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly cacheMs = 5000,
    /** Under the health registry's 3 s, so that the check says why rather than merely timing out. */
    private readonly answerWithinMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<void> {
    if (!this.last || this.now() - this.last.at >= this.cacheMs) {
      this.inFlight ??= this.ask().finally(() => (this.inFlight = null));
      const error = await this.inFlight;
      this.last = { at: this.now(), error };
    }
    if (this.last.error) throw this.last.error;
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async ask(): Promise<Error | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // No retries: a health check reports the cluster as it is now; the next check asks again.
      const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
      const answered = (async () => {
        if (!this.connected) {
          await admin.connect();
          this.connected = true;
        }
        await admin.describeCluster();
      })();
      answered.catch(() => undefined);
      await Promise.race([
        answered,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.answerWithinMs} ms`)), this.answerWithinMs);
        }),
      ]);
      return null;
    } catch (error) {
      await this.drop();
      return new Error(`the Kafka cluster does not answer: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async drop(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    this.connected = false;
    await admin?.disconnect().catch(() => undefined);
  }
}
