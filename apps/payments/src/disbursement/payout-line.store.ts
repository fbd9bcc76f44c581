import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher, OutgoingEvent } from '@scholarpay/messaging';
import { Coalescer } from '@scholarpay/platform';
import { DataSource, EntityManager } from 'typeorm';
import type { BatchState } from '../batches/payout-batch.state-machine';
import { canMoveLine, LineStatus } from '../batches/payout-line.state-machine';
import { LedgerRepository } from '../ledger/ledger.repository';
import { PostingSpec, postingsForLineMove } from '../ledger/ledger.rules';
import { queryRows, toSafeNumber } from '../shared/sql';
import { BatchCompletionChecker } from './batch-completion.checker';
import type { LineSnapshot, LineUpdate } from './payout-line.decisions';

/** A line as the disbursement worker needs it. */
export interface DisbursementLine extends LineSnapshot {
  batchId: string;
  batchState: BatchState;
  programmeId: string;
  awardId: string;
  studentId: string;
  month: string;
  phone: string;
  operator: 'orange' | 'moov' | null;
  providerTransactionId: string | null;
}

/** One call to or from the provider, as recorded in provider_transactions. */
export interface ProviderInteraction {
  lineId: string;
  operation: 'CASHIN' | 'STATUS' | 'CALLBACK' | 'SMS';
  httpStatus: number | null;
  outcome: string;
  providerStatus?: string | null;
  providerTransactionId?: string | null;
  reasonCode?: string | null;
  detail?: string | null;
  durationMs?: number | null;
}

export interface LineWrite {
  line: DisbursementLine;
  update?: LineUpdate;
  sms?: { smsId: string } | { failure: string };
  interactions: ProviderInteraction[];
}

/** `applied: false`: the line had moved on since it was read (another worker got there first). */
export interface WriteResult {
  applied: boolean;
}

/**
 * Reads and writes payout lines for the disbursement worker, coalescing what hundreds of
 * concurrent jobs ask into a few statements: a write resolves only after the transaction holding
 * it committed, so a job never reports progress the database does not have. Each write moves the
 * line only from the status it was read in (optimistic concurrency), records the provider calls,
 * the ledger postings and the payout events of that move, all in one transaction; once it has
 * committed, batches whose lines it finished are checked for completion.
 */
@Injectable()
export class PayoutLineStore implements OnApplicationShutdown {
  private readonly logger = new Logger(PayoutLineStore.name);
  private readonly reader: Coalescer<string, DisbursementLine | undefined>;
  private readonly writer: Coalescer<LineWrite, WriteResult>;
  /** Provider calls that moved no line (callbacks above all) do not wait behind the line writes. */
  private readonly recorder: Coalescer<ProviderInteraction, void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly outbox: OutboxPublisher,
    private readonly completions: BatchCompletionChecker,
  ) {
    this.reader = new Coalescer((ids) => this.loadMany(ids), { maxBatch: 1000, maxConcurrent: 2 });
    this.writer = new Coalescer((writes) => this.writeMany(writes), { maxBatch: 2000, maxConcurrent: 1 });
    this.recorder = new Coalescer(
      (interactions) => this.insertInteractions(this.dataSource.manager, interactions).then(() => interactions.map(() => undefined)),
      { maxBatch: 2000, maxConcurrent: 1 },
    );
  }

  load(lineId: string): Promise<DisbursementLine | undefined> {
    return this.reader.submit(lineId);
  }

  write(write: LineWrite): Promise<WriteResult> {
    return this.writer.submit(write);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.reader.idle(), this.writer.idle(), this.recorder.idle()]);
    await this.completions.flush();
  }

  private async loadMany(ids: string[]): Promise<(DisbursementLine | undefined)[]> {
    const rows = await queryRows<Record<string, unknown>>(
      this.dataSource,
      `SELECT l.id, l.batch_id, b.state AS batch_state, l.programme_id, l.award_id, l.student_id, l.month, l.amount::text,
              l.phone, l.operator, l.status, l.attempts, l.checks, l.last_sent_at, l.sms_sent_at, l.sms_failure,
              l.provider_transaction_id
         FROM payout_lines l JOIN payout_batches b ON b.id = l.batch_id
        WHERE l.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id as string, toLine(row)]));
    return ids.map((id) => byId.get(id));
  }

  private async writeMany(writes: LineWrite[]): Promise<WriteResult[]> {
    // A line may appear only once per statement: later writes for the same line go in a later round.
    const rounds: { index: number; write: LineWrite }[][] = [];
    const roundOf = new Map<string, number>();
    writes.forEach((write, index) => {
      const round = (roundOf.get(write.line.id) ?? -1) + 1;
      roundOf.set(write.line.id, round);
      (rounds[round] ??= []).push({ index, write });
    });
    const results: WriteResult[] = writes.map(() => ({ applied: false }));
    const finishedBatches = new Set<string>();
    await this.dataSource.transaction(async (manager) => {
      const interactions = writes.flatMap((write) => write.interactions);
      for (const [number, round] of rounds.entries()) {
        // The provider calls ride along with the first round's statement.
        const applied = await this.applyRound(manager, round.map((entry) => entry.write), number === 0 ? interactions : [], finishedBatches);
        round.forEach((entry, position) => (results[entry.index] = { applied: applied[position] }));
      }
    });
    if (finishedBatches.size > 0) this.completions.linesFinished(finishedBatches);
    return results;
  }

  /**
   * One statement for a round: the status moves (each only from the status it was read in), the
   * SMS records and the provider calls; then the ledger postings and payout events of the moves
   * that took. A line appears at most once per round, so the two UPDATEs never touch the same row.
   */
  private async applyRound(
    manager: EntityManager,
    writes: LineWrite[],
    interactions: ProviderInteraction[],
    finishedBatches: Set<string>,
  ): Promise<boolean[]> {
    const applied = writes.map(() => true);
    const moves = writes
      .map((write, index) => ({ write, index }))
      .filter(({ write, index }) => {
        if (!write.update) return false;
        if (!canMoveLine(write.line.status, write.update.to)) {
          this.logger.error({ lineId: write.line.id, fromStatus: write.line.status, toStatus: write.update.to }, 'refused an illegal line transition');
          applied[index] = false;
          return false;
        }
        return true;
      });
    const smsWrites = writes.map((write, index) => ({ write, index })).filter(({ write }) => write.sms);
    if (moves.length === 0 && smsWrites.length === 0 && interactions.length === 0) return applied;

    const changed = await queryRows<{ kind: 'move' | 'sms'; id: string }>(
      manager,
      `WITH moved AS (
         UPDATE payout_lines l SET
           status = v.to_status,
           attempts = l.attempts + CASE WHEN v.attempted THEN 1 ELSE 0 END,
           checks = l.checks + CASE WHEN v.checked THEN 1 ELSE 0 END,
           first_sent_at = CASE WHEN v.attempted THEN coalesce(l.first_sent_at, now()) ELSE l.first_sent_at END,
           last_sent_at = CASE WHEN v.attempted THEN now() ELSE l.last_sent_at END,
           provider_transaction_id = coalesce(v.transaction_id, l.provider_transaction_id),
           provider_status = coalesce(v.provider_status, l.provider_status),
           reason_code = v.reason_code,
           reason = v.reason,
           completed_at = CASE WHEN v.to_status IN ('PAID', 'FAILED') THEN now() ELSE l.completed_at END,
           next_check_at = v.next_check_at,
           updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
           AS v(id, from_status, to_status, attempted, checked, transaction_id, provider_status, reason_code, reason, next_check_at)
         WHERE l.id = v.id AND l.status = v.from_status
         RETURNING l.id
       ), texted AS (
         UPDATE payout_lines l SET
           sms_sent_at = CASE WHEN v.sms_id IS NOT NULL THEN now() ELSE l.sms_sent_at END,
           sms_id = coalesce(v.sms_id, l.sms_id),
           sms_failure = v.failure,
           next_check_at = NULL,
           updated_at = now()
         FROM unnest($11::uuid[], $12::text[], $13::text[]) AS v(id, sms_id, failure)
         WHERE l.id = v.id AND l.status = 'PAID' AND l.sms_sent_at IS NULL
         RETURNING l.id
       ), recorded AS (
         INSERT INTO provider_transactions (line_id, operation, http_status, outcome, provider_status, provider_transaction_id, reason_code, detail, duration_ms)
         SELECT * FROM unnest($14::uuid[], $15::text[], $16::int[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::int[])
       )
       SELECT 'move' AS kind, id FROM moved UNION ALL SELECT 'sms' AS kind, id FROM texted`,
      [
        moves.map(({ write }) => write.line.id),
        moves.map(({ write }) => write.line.status),
        moves.map(({ write }) => write.update!.to),
        moves.map(({ write }) => write.update!.attempted === true),
        moves.map(({ write }) => write.update!.checked === true),
        moves.map(({ write }) => write.update!.transaction?.transactionId ?? null),
        moves.map(({ write }) => write.update!.transaction?.status ?? null),
        moves.map(({ write }) => write.update!.reasonCode ?? null),
        moves.map(({ write }) => write.update!.reason ?? null),
        moves.map(({ write }) => write.update!.nextCheckAt),
        smsWrites.map(({ write }) => write.line.id),
        smsWrites.map(({ write }) => ('smsId' in write.sms! ? write.sms.smsId : null)),
        smsWrites.map(({ write }) => ('failure' in write.sms! ? write.sms.failure : null)),
        ...interactionColumns(interactions),
      ],
    );
    const movedIds = new Set(changed.filter((row) => row.kind === 'move').map((row) => row.id));
    const textedIds = new Set(changed.filter((row) => row.kind === 'sms').map((row) => row.id));
    for (const { write, index } of smsWrites) if (!textedIds.has(write.line.id)) applied[index] = false;

    const postings: PostingSpec[] = [];
    const events: OutgoingEvent[] = [];
    for (const { write, index } of moves) {
      if (!movedIds.has(write.line.id)) {
        applied[index] = false;
        continue;
      }
      const { line, update } = write;
      const to = update!.to;
      postings.push(...postingsForLineMove(line, line.status, to, update!.transaction !== undefined));
      if (to === 'PAID' || to === 'FAILED') {
        finishedBatches.add(line.batchId);
        events.push(payoutEvent(line, update!));
      }
    }
    if (postings.length > 0) await this.ledger.post(manager, postings);
    if (events.length > 0) await this.outbox.publishAll(manager, events);
    return applied;
  }

  private async insertInteractions(manager: EntityManager, interactions: ProviderInteraction[]): Promise<void> {
    if (interactions.length === 0) return;
    await manager.query(
      `INSERT INTO provider_transactions (line_id, operation, http_status, outcome, provider_status, provider_transaction_id, reason_code, detail, duration_ms)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])`,
      interactionColumns(interactions),
    );
  }

  /** Records provider calls that changed no line (a callback, a rate-limited call), batched together. */
  async recordInteractions(interactions: ProviderInteraction[]): Promise<void> {
    await Promise.all(interactions.map((interaction) => this.recorder.submit(interaction)));
  }
}

/** provider_transactions' columns, one array each, in insert order. */
function interactionColumns(interactions: ProviderInteraction[]): unknown[][] {
  return [
    interactions.map((entry) => entry.lineId),
    interactions.map((entry) => entry.operation),
    interactions.map((entry) => entry.httpStatus),
    interactions.map((entry) => entry.outcome),
    interactions.map((entry) => entry.providerStatus ?? null),
    interactions.map((entry) => entry.providerTransactionId ?? null),
    interactions.map((entry) => entry.reasonCode ?? null),
    interactions.map((entry) => (entry.detail ? entry.detail.slice(0, 500) : null)),
    interactions.map((entry) => (entry.durationMs === null || entry.durationMs === undefined ? null : Math.round(entry.durationMs))),
  ];
}

function payoutEvent(line: DisbursementLine, update: LineUpdate): OutgoingEvent {
  const base = {
    payoutId: line.id,
    batchId: line.batchId,
    programmeId: line.programmeId,
    awardId: line.awardId,
    studentId: line.studentId,
    month: line.month,
    amount: line.amount,
    currency: 'XOF' as const,
    completedAt: update.transaction?.completedAt ?? new Date().toISOString(),
  };
  if (update.to === 'PAID') {
    return {
      type: EventTypes.payoutSucceeded,
      subject: line.studentId,
      data: { ...base, providerTransactionId: update.transaction!.transactionId },
    };
  }
  return {
    type: EventTypes.payoutFailed,
    subject: line.studentId,
    data: { ...base, reasonCode: update.reasonCode ?? 'UNSPECIFIED', reason: update.reason ?? 'the payout failed' },
  };
}

function toLine(row: Record<string, unknown>): DisbursementLine {
  return {
    id: row.id as string,
    batchId: row.batch_id as string,
    batchState: row.batch_state as BatchState,
    programmeId: row.programme_id as string,
    awardId: row.award_id as string,
    studentId: row.student_id as string,
    month: row.month as string,
    amount: toSafeNumber(row.amount as string),
    phone: row.phone as string,
    operator: (row.operator as DisbursementLine['operator']) ?? null,
    status: row.status as LineStatus,
    attempts: row.attempts as number,
    checks: row.checks as number,
    lastSentAt: (row.last_sent_at as Date | null) ?? null,
    smsSentAt: (row.sms_sent_at as Date | null) ?? null,
    smsGaveUp: row.sms_failure !== null && row.sms_failure !== undefined,
    providerTransactionId: (row.provider_transaction_id as string | null) ?? null,
  };
}
