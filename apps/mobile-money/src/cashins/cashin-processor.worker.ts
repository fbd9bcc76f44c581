import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CallbackDispatcher } from '../callbacks/callback-dispatcher.worker';
import { WorkerLoop } from '../common/worker-loop';
import { CompleteCashinsUseCase } from './complete-cashins.use-case';

const BATCH_SIZE = 250;
/** Picks up cash-ins accepted by other instances, or left pending by a crash, within this time. */
const IDLE_POLL_MS = 250;

/**
 * Drives pending cash-ins to their final state. The queue is the `cashins` table itself (status
 * PENDING, due_at), worked with FOR UPDATE SKIP LOCKED: durable, shared by any number of instances,
 * and resumed as is after a restart or a kill -9.
 */
@Injectable()
export class CashinProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CashinProcessor.name);
  private readonly loop: WorkerLoop;

  constructor(
    private readonly completeCashins: CompleteCashinsUseCase,
    private readonly callbacks: CallbackDispatcher,
  ) {
    this.loop = new WorkerLoop('cashin-processor', () => this.pass(), IDLE_POLL_MS, this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** A cash-in was accepted that is due in `ms`. */
  dueIn(ms: number): void {
    this.loop.wakeIn(ms);
  }

  private async pass(): Promise<boolean> {
    const { completed, callbackDelayMs } = await this.completeCashins.execute(BATCH_SIZE);
    if (callbackDelayMs !== null) this.callbacks.wakeIn(callbackDelayMs);
    return completed === BATCH_SIZE;
  }
}
