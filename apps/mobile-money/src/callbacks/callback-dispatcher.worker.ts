import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from '@scholarpay/platform';
import { WorkerLoop } from '../common/worker-loop';
import { MOBILE_MONEY_CONFIG } from '../config/mobile-money.config';
import type { MobileMoneyConfig } from '../config/mobile-money.config';
import { ClaimedCallback, CallbackDeliveryRepository } from './callback-delivery.repository';
import { CALLBACK_SIGNATURE_HEADER, callbackBackoffMs, signCallback } from './callback-signature';

const BATCH = 64;
const IDLE_POLL_MS = 500;

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
  }

  /** New callbacks are queued, due in `ms`. */
  wakeIn(ms: number): void {
    this.loop.wakeIn(ms);
  }

  private async dispatchBatch(): Promise<boolean> {
    const leaseMs = this.config.MOBILE_MONEY_CALLBACK_TIMEOUT_MS + 5000;
    const claimed = await this.deliveries.claimDue(BATCH, leaseMs);
    await Promise.all(claimed.map((callback) => this.attempt(callback)));
    if (claimed.length === BATCH) return true;
    const wait = await this.deliveries.msUntilNextDue();
    if (wait !== null && wait < IDLE_POLL_MS) this.loop.wakeIn(Math.max(1, wait));
    return false;
  }

  private async attempt(callback: ClaimedCallback): Promise<void> {
    let status: number | null = null;
    let problem: string;
    try {
      const response = await fetch(callback.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [CALLBACK_SIGNATURE_HEADER]: signCallback(
            callback.payload,
            this.config.MOBILE_MONEY_CALLBACK_SECRET,
            Math.floor(Date.now() / 1000),
          ),
          'User-Agent': 'scholarpay-mock-mobile-money/1',
        },
        body: callback.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.MOBILE_MONEY_CALLBACK_TIMEOUT_MS),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (status >= 200 && status < 300) {
        await this.deliveries.markDelivered(callback.id, status);
        this.sent.inc({ outcome: 'delivered' });
        return;
      }
      problem = `receiver answered ${status}`;
    } catch (error) {
      problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const last = callback.attempts >= callback.maxAttempts;
    const retryInMs = last
      ? null
      : callbackBackoffMs(callback.attempts, this.config.MOBILE_MONEY_CALLBACK_BACKOFF_MS);
    await this.deliveries.markAttemptFailed(callback.id, status, problem, retryInMs);
    this.sent.inc({ outcome: last ? 'gave_up' : 'retry' });
    if (last)
      this.logger.warn(
        { callbackId: callback.id, attempts: callback.attempts },
        'callback given up after its last attempt',
      );
    else this.loop.wakeIn(retryInMs!);
  }
}
