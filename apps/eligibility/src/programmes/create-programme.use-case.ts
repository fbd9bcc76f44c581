import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { EventTypes } from '@scholarpay/contracts';
import { OutboxPublisher } from '@scholarpay/messaging';
import type { FieldProblem } from '@scholarpay/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { ReevaluationQueue } from '../reevaluation/reevaluation.queue';
import { newReevaluationJob, ReevaluationView, reevaluationView } from '../reevaluation/reevaluation.view';
import { validateRanking } from '../rules/ranking';
import { RuleSetValidator } from '../rules/rule-set.validator';
import { CLOCK, type Clock } from '../shared/clock';
import { holdProgrammeSetExclusive } from '../shared/programme-set.lock';
import type { CreateProgrammeDto } from './dto/create-programme.dto';
import { ProgrammeEntity } from './programme.entity';
import { ProgrammeRepository } from './programme.repository';
import { programmeTermsProblems } from './programme.rules';
import { programmeView, ProgrammeView } from './programme.view';
import { programmeSnapshotOf } from './programme.snapshot';
import { ProgrammeErrors } from './programmes.errors';
import { monthOf } from './year-month';

/**
 * Creates a programme with its rules, announces it (programme defined), and starts deciding every
 * known student against it in the background.
 */
@Injectable()
export class CreateProgrammeUseCase {
  private readonly validator = new RuleSetValidator();

  constructor(
    private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeRepository,
    private readonly jobs: ReevaluationJobRepository,
    private readonly queue: ReevaluationQueue,
    private readonly outbox: OutboxPublisher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    command: CreateProgrammeDto,
    user: AuthenticatedUser,
  ): Promise<{ programme: ProgrammeView; evaluation: ReevaluationView }> {
    const currentMonth = monthOf(this.clock.now());
    const problems: FieldProblem[] = programmeTermsProblems(command, currentMonth);
    const rules = this.validator.validate(command.rules, 'rules');
    if (!rules.ok) problems.push(...rules.problems);
    const ranking = validateRanking(command.ranking, 'ranking');
    if (!ranking.ok) problems.push(...ranking.problems);
    if (problems.length > 0 || !rules.ok || !ranking.ok) throw ProgrammeErrors.invalid(problems);

    const now = new Date();
    const programme = Object.assign(new ProgrammeEntity(), {
      programmeId: randomUUID(),
      code: command.code,
      name: command.name.trim(),
      monthlyStipend: command.monthlyStipend,
      firstMonth: command.firstMonth,
      lastMonth: command.lastMonth,
      budget: command.budget,
      maxAwards: command.maxAwards ?? null,
      rules: rules.rules,
      ranking: ranking.ranking,
      rulesVersion: 1,
      version: 1,
      awardsHeld: 0,
      committedAmount: 0,
      createdBy: user.sub,
      createdAt: now,
      updatedBy: user.sub,
      updatedAt: now,
    });
    const job = newReevaluationJob({
      jobId: randomUUID(),
      programmeId: programme.programmeId,
      rulesVersion: 1,
      cause: 'programme_created',
      requestedBy: user.sub,
      requestedAt: now,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        // Waits for student events being applied, so none misses this programme (see the lock).
        await holdProgrammeSetExclusive(manager);
        if (await this.programmes.codeExists(manager, programme.code))
          throw ProgrammeErrors.codeTaken(programme.code);
        await this.programmes.insert(manager, programme, 'programme created');
        await this.outbox.publish(manager, {
          type: EventTypes.programmeDefined,
          subject: programme.programmeId,
          data: { programme: programmeSnapshotOf(programme) },
        });
        await this.jobs.insert(manager, job);
      });
    } catch (error) {
      // Two creations with one code at the same moment: the unique index decides.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw ProgrammeErrors.codeTaken(programme.code);
      }
      throw error;
    }
    await this.queue.dispatchOrLeaveToSweep(job.jobId);
    return { programme: programmeView(programme, currentMonth), evaluation: reevaluationView(job) };
  }
}
