import { Inject, Injectable } from '@nestjs/common';
import type { EventType } from '@scholarpay/contracts';
import { OutboxPublisher, type OutgoingEvent } from '@scholarpay/messaging';
import { sumXof } from '@scholarpay/money';
import { MetricsService } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DecisionRepository } from '../decisions/decision.repository';
import type { ProgrammeEntity } from '../programmes/programme.entity';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { monthOf } from '../programmes/year-month';
import { CLOCK, type Clock } from '../shared/clock';
import { AwardCapacity } from './award-capacity';
import { AwardEntity, AwardTransitionEntity } from './award.entity';
import { AwardReasons } from './award.reasons';
import { awardSnapshot } from './award.snapshot';
import { AwardStateMachine, AwardTransition } from './award.state-machine';
import { AwardRepository } from './award.repository';

export interface AwardChange {
  award: AwardEntity;
  transition: Exclude<AwardTransition, 'grant'>;
  reason: string;
  changedBy: string;
}

export type AwardCounts = Record<AwardTransition, number>;

export function noAwardChanges(): AwardCounts {
  return { grant: 0, suspend: 0, reinstate: 0, revoke: 0 };
}

/**
 * Where awards change: every transition goes through the state machine, moves the programme's
 * places and money, is recorded with who, when and why, and is published (outbox, same
 * transaction). The caller holds the programme's lock.
 */
@Injectable()
export class AwardBook {
  private readonly transitionsCounter;

  constructor(
    private readonly awards: AwardRepository,
    private readonly decisions: DecisionRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.transitionsCounter = metrics.counter(
      'eligibility_award_transitions_total',
      'Award transitions made',
      ['transition'],
    );
  }

  async change(
    manager: EntityManager,
    programme: ProgrammeEntity,
    changes: AwardChange[],
  ): Promise<AwardCounts> {
    const counts = noAwardChanges();
    if (changes.length === 0) return counts;
    const now = this.clock.now();
    const currentMonth = monthOf(now);
    const updated: AwardEntity[] = [];
    let awardsDelta = 0;
    let amountDelta = 0;
    for (const change of changes) {
      const status = AwardStateMachine.next(change.award.status, change.transition);
      const next = Object.assign(new AwardEntity(), change.award, {
        version: change.award.version + 1,
        status,
        statusReason: change.reason,
        statusChangedBy: change.changedBy,
        statusChangedAt: now,
      });
      if (change.transition === 'revoke') {
        next.revokedInMonth = currentMonth;
        next.committedAmount = AwardCapacity.commitmentAfterRevocation(change.award, currentMonth);
        awardsDelta -= 1;
        amountDelta += next.committedAmount - change.award.committedAmount;
      }
      updated.push(next);
      counts[change.transition]++;
    }
    await this.awards.updateAll(manager, updated);
    await this.publishAndRecord(
      manager,
      programme,
      updated.map((award, index) => ({
        award,
        transition: changes[index].transition,
        fromStatus: changes[index].award.status,
        reason: changes[index].reason,
        changedBy: changes[index].changedBy,
        at: now,
      })),
    );
    await this.programmes.adjustCommitments(manager, programme, awardsDelta, amountDelta);
    return counts;
  }

  /**
   * Awards places to the waiting list, in ranking order, while places and budget last (at most
   * `limit` in this call). Each award starts after the months the student's earlier awards in the
   * programme cover, so no month is paid or committed twice. Returns how many were awarded.
   */
  async fillVacancies(
    manager: EntityManager,
    programme: ProgrammeEntity,
    actor: string,
    limit = 1000,
  ): Promise<number> {
    const now = this.clock.now();
    const currentMonth = monthOf(now);
    const capacity = AwardCapacity.available(programme, programme, currentMonth);
    // A student with earlier months covered costs less than `capacity.costPerAward`, so only the
    // places, the programme's end and one month's stipend bound who may still be served.
    const wanted = Math.min(capacity.placesLeft ?? limit, limit);
    if (wanted === 0 || capacity.startMonth === null || capacity.budgetLeft < programme.monthlyStipend)
      return 0;
    const waiting = await this.decisions.waitingList(manager, programme, wanted);
    if (waiting.length === 0) return 0;
    const planned = AwardCapacity.planGrants(programme, programme, currentMonth, waiting);
    if (planned.length === 0) return 0;
    const granted = planned.map(({ index, startMonth, cost }) => {
      const student = waiting[index];
      const reason = AwardReasons.forGrant({
        programmeCode: programme.code,
        overridden: student.overridden,
        monthlyStipend: programme.monthlyStipend,
        firstMonth: startMonth,
        lastMonth: programme.lastMonth,
        coveredThrough: student.coveredThrough,
      });
      return Object.assign(new AwardEntity(), {
        awardId: randomUUID(),
        programmeId: programme.programmeId,
        studentId: student.studentId,
        version: 1,
        status: AwardStateMachine.next('none', 'grant'),
        monthlyStipend: programme.monthlyStipend,
        firstMonth: startMonth,
        lastMonth: programme.lastMonth,
        committedAmount: cost,
        awardedAt: now,
        awardedBy: actor,
        statusReason: reason,
        statusChangedBy: actor,
        statusChangedAt: now,
        revokedInMonth: null,
        lastPaidMonth: null,
      });
    });
    // Places and money first: the table's constraints refuse an over-commitment before anything is written.
    await this.programmes.adjustCommitments(
      manager,
      programme,
      granted.length,
      sumXof(granted.map((award) => award.committedAmount)),
    );
    await this.awards.insertAll(manager, granted);
    await this.publishAndRecord(
      manager,
      programme,
      granted.map((award) => ({
        award,
        transition: 'grant' as const,
        fromStatus: null,
        reason: award.statusReason,
        changedBy: actor,
        at: now,
      })),
    );
    return granted.length;
  }

  private async publishAndRecord(
    manager: EntityManager,
    programme: ProgrammeEntity,
    entries: {
      award: AwardEntity;
      transition: AwardTransition;
      fromStatus: AwardEntity['status'] | null;
      reason: string;
      changedBy: string;
      at: Date;
    }[],
  ): Promise<void> {
    const events: OutgoingEvent<EventType>[] = entries.map((entry) => ({
      type: AwardStateMachine.eventOf(entry.transition),
      subject: entry.award.studentId,
      data: {
        award: awardSnapshot(entry.award, programme.code),
        reason: entry.reason,
        changedBy: entry.changedBy,
      },
    }));
    const envelopes = await this.outbox.publishAll(manager, events);
    await this.awards.recordTransitions(
      manager,
      entries.map((entry, index) =>
        Object.assign(new AwardTransitionEntity(), {
          awardId: entry.award.awardId,
          version: entry.award.version,
          transition: entry.transition,
          fromStatus: entry.fromStatus,
          toStatus: entry.award.status,
          reason: entry.reason,
          changedBy: entry.changedBy,
          changedAt: entry.at,
          eventId: envelopes[index].id,
        }),
      ),
    );
    for (const entry of entries) this.transitionsCounter.inc({ transition: entry.transition });
  }
}
