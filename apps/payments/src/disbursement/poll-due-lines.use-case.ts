import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import { PayoutBatchRepository } from '../batches/payout-batch.repository';
import { StartDisbursementUseCase } from '../batches/start-disbursement.use-case';
import type { PaymentsConfig } from '../payments.config';
import { queryRows } from '../shared/sql';
import { CompleteBatchUseCase } from './complete-batch.use-case';
import { DisbursementQueue } from './disbursement.queue';

const CLAIM_LIMIT = 5000;
/** An approved batch that has not started disbursing this long after approval was left by a crash. */
const STUCK_APPROVAL_MS = 30000;

/**
 * The safety net that makes every line finish whatever was lost: lines whose callback never came,
 * whose job died with its process or was dropped, PAID lines still owed their SMS; approved
 * batches whose disbursement never started; disbursing batches whose last line's completion check
 * was missed. Runs on a BullMQ job scheduler, so one instance at a time does it.
 */
@Injectable()
export class PollDueLinesUseCase {
  private readonly logger = new Logger(PollDueLinesUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: PayoutBatchRepository,
    private readonly queue: DisbursementQueue,
    private readonly startDisbursement: StartDisbursementUseCase,
    private readonly completion: CompleteBatchUseCase,
    @Inject(SERVICE_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  async execute(): Promise<{ queued: number; started: number; completed: number }> {
    let started = 0;
    const approved = await this.batches.findByStates(this.dataSource.manager, ['APPROVED']);
    for (const batch of approved) {
      if (batch.approvedAt && Date.now() - batch.approvedAt.getTime() > STUCK_APPROVAL_MS) {
        await this.startDisbursement.execute(batch.id);
        started += 1;
      }
    }

    // Claim overdue lines by pushing their next check forward (a lease), then queue them. A line is
    // overdue once its check is a poll interval late: until then the job that scheduled the check
    // (a parked recheck, the SMS right after PAID) is about to do it, and a second job would only
    // repeat its provider call.
    const lease = Math.max(
      this.config.PAYMENTS_STATUS_CHECK_AFTER_MS,
      this.config.PAYMENTS_POLL_INTERVAL_MS * 3,
    );
    const due = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE payout_lines SET next_check_at = now() + ($1::int * interval '1 millisecond'), updated_at = now()
        WHERE id IN (
          SELECT l.id FROM payout_lines l JOIN payout_batches b ON b.id = l.batch_id
           WHERE l.next_check_at <= now() - ($3::int * interval '1 millisecond') AND b.state IN ('DISBURSING', 'COMPLETED')
           ORDER BY l.next_check_at LIMIT $2
           FOR UPDATE OF l SKIP LOCKED)
        RETURNING id`,
      [lease, CLAIM_LIMIT, this.config.PAYMENTS_POLL_INTERVAL_MS],
    );
    await this.queue.enqueue(
      due.map((row) => row.id),
      'overdue',
    );

    const disbursing = await this.batches.findByStates(this.dataSource.manager, ['DISBURSING']);
    let completed = 0;
    if (disbursing.length > 0) {
      completed = (
        await this.dataSource.transaction((manager) =>
          this.completion.completeIfDone(
            manager,
            disbursing.map((batch) => batch.id),
          ),
        )
      ).length;
    }
    if (due.length > 0 || started > 0 || completed > 0) {
      this.logger.log({ queued: due.length, started, completed }, 'poller pass');
    }
    return { queued: due.length, started, completed };
  }
}
