import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from '@scholarpay/platform';
import { Pool } from 'undici';
import { WorkerLoop } from '../common/worker-loop';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { CallbackAttempt, ClaimedCallback, CallbackDeliveryRepository } from './callback-delivery.repository';
import { CALLBACK_SIGNATURE_HEADER, callbackBackoffMs, signCallback } from './callback-signature';

/** Callbacks claimed and sent per pass; a pass lasts as long as its slowest receiver. */
const BATCH = 256;
const IDLE_POLL_MS = 500;
const POOL_CONNECTIONS = 64;
const GATHER_MS = 25;

/**
 * Sends queued callbacks: signed with HMAC-SHA256 over "<t>.<raw body>", a 2xx answer delivers,
 * anything else (or no answer within the timeout) is retried with exponential backoff until
 * MOBILE_MONEY_CALLBACK_MAX_ATTEMPTS, then marked FAILED.
 */
@Injectable()
export class CallbackDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CallbackDispatcher.name);
  private readonly loop: WorkerLoop;
  private readonly sent;
  private readonly pools = new Map<string, Pool>();

  constructor(
    @Inject(MOBILE_MONEY_CONFIG) private readonly config: MobileMoneyConfig,
    private readonly deliveries: CallbackDeliveryRepository,
    metrics: MetricsService,
  ) {
    this.sent = metrics.counter(
      'mobile_money_callback_attempts_total',
      'Callback delivery attempts by outcome',
      ['outcome'],
    );
    this.loop = new WorkerLoop('callback-dispatcher', () => this.dispatchBatch(), IDLE_POLL_MS, this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  /** New callbacks are queued, due in `ms`. */
  wakeIn(ms: number): void {
    this.loop.wakeIn(ms);
  }

  private async dispatchBatch(): Promise<boolean> {
    const leaseMs = this.config.MOBILE_MONEY_CALLBACK_TIMEOUT_MS + 5000;
    const claimed = await this.deliveries.claimDue(BATCH, leaseMs);
    const attempts = await Promise.all(claimed.map((callback) => this.attempt(callback)));
    // One statement records the whole batch; a crash before it leaves the rows leased, and they
    // are sent again once the lease ends (at-least-once delivery).
    await this.deliveries.recordAttempts(attempts);
    for (const attempt of attempts) {
      if (attempt.delivered) {
        this.sent.inc({ outcome: 'delivered' });
      } else if (attempt.retryInMs === null) {
        this.sent.inc({ outcome: 'gave_up' });
        this.logger.warn({ callbackId: attempt.id }, 'callback given up after its last attempt');
      } else {
        this.sent.inc({ outcome: 'retry' });
        this.loop.wakeIn(attempt.retryInMs);
      }
    }
    if (claimed.length === BATCH) return true;
    const wait = await this.deliveries.msUntilNextDue();
    // Callbacks due now or soon are gathered for GATHER_MS: passing again at once would claim them
    // one or two at a time, three statements each.
    if (wait !== null && wait < IDLE_POLL_MS) this.loop.wakeIn(Math.max(GATHER_MS, wait));
    return false;
  }

  private async attempt(callback: ClaimedCallback): Promise<CallbackAttempt> {
    let status: number | null = null;
    let problem: string;
    try {
      const url = new URL(callback.url);
      const timeoutMs = this.config.MOBILE_MONEY_CALLBACK_TIMEOUT_MS;
      const response = await this.poolFor(url.origin).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: {
          'content-type': 'application/json',
          [CALLBACK_SIGNATURE_HEADER]: signCallback(callback.payload, this.config.MOBILE_MONEY_CALLBACK_SECRET, Math.floor(Date.now() / 1000)),
          'user-agent': 'scholarpay-mock-mobile-money/1',
        },
        body: callback.payload,
        // undici's own timers: an AbortSignal per callback costs more CPU than the request.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      await response.body.dump().catch(() => undefined);
      if (status >= 200 && status < 300) return { id: callback.id, delivered: true, responseStatus: status };
      problem = `receiver answered ${status}`;
    } catch (error) {
      problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const last = callback.attempts >= callback.maxAttempts;
    const retryInMs = last ? null : callbackBackoffMs(callback.attempts, this.config.MOBILE_MONEY_CALLBACK_BACKOFF_MS);
    return { id: callback.id, delivered: false, responseStatus: status, error: problem, retryInMs };
  }

  /** One keep-alive pool per receiver (redirects are not followed: undici's request never does). */
  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: POOL_CONNECTIONS, keepAliveTimeout: 10_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}
