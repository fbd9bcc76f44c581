import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@scholarpay/auth';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { ReevaluationQueue } from '../reevaluation/reevaluation.queue';
import { newReevaluationJob, ReevaluationView, reevaluationView } from '../reevaluation/reevaluation.view';
import { validateRanking } from '../rules/ranking';
import { RuleSetValidator } from '../rules/rule-set.validator';
import type { ChangeRulesDto } from './dto/change-rules.dto';
import { ProgrammeRepository } from './programme.repository';
import { ProgrammeErrors } from './programmes.errors';

/**
 * Replaces a programme's rules (and ranking, when given), keeps the old version for the record,
 * and starts re-deciding every student in the background. Answers with the job to poll.
 */
@Injectable()
export class ChangeProgrammeRulesUseCase {
  private readonly validator = new RuleSetValidator();

  constructor(
    private readonly dataSource: DataSource,
    private readonly programmes: ProgrammeRepository,
    private readonly jobs: ReevaluationJobRepository,
    private readonly queue: ReevaluationQueue,
  ) {}

  async execute(
    programmeId: string,
    command: ChangeRulesDto,
    user: AuthenticatedUser,
  ): Promise<ReevaluationView> {
    const rules = this.validator.validate(command.rules, 'rules');
    const ranking = command.ranking === undefined ? null : validateRanking(command.ranking, 'ranking');
    const problems = [
      ...(rules.ok ? [] : rules.problems),
      ...(ranking && !ranking.ok ? ranking.problems : []),
    ];
    if (problems.length > 0 || !rules.ok || (ranking && !ranking.ok))
      throw ProgrammeErrors.rulesInvalid(problems);

    const job = await this.dataSource.transaction(async (manager) => {
      const programme = await this.programmes.lock(manager, programmeId);
      if (!programme) throw ProgrammeErrors.notFound(programmeId);
      const updated = await this.programmes.replaceRules(manager, programme, {
        rules: rules.rules,
        ranking: ranking ? ranking.ranking : programme.ranking,
        changedBy: user.sub,
        reason: command.reason.trim(),
      });
      const created = newReevaluationJob({
        jobId: randomUUID(),
        programmeId,
        rulesVersion: updated.rulesVersion,
        cause: 'rules_changed',
        requestedBy: user.sub,
        requestedAt: new Date(),
      });
      await this.jobs.insert(manager, created);
      return created;
    });
    await this.queue.dispatchOrLeaveToSweep(job.jobId);
    return reevaluationView(job);
  }
}
