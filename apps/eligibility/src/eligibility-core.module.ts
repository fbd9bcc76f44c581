import { DynamicModule, Module } from '@nestjs/common';
import { AwardBook } from './awards/award-book';
import { AwardRepository } from './awards/award.repository';
import { DecisionRepository } from './decisions/decision.repository';
import { EligibilityDecider } from './decisions/eligibility-decider';
import { LiveExplanation } from './decisions/live-explanation';
import { StandingRepository } from './decisions/standing.repository';
import { OverrideRepository } from './overrides/override.repository';
import { ProgrammeRepository } from './programmes/programme.repository';
import { ReevaluationJobRepository } from './reevaluation/reevaluation-job.repository';
import { ReevaluationQueue } from './reevaluation/reevaluation.queue';
import { ReevaluationRunner } from './reevaluation/reevaluation.runner';
import { RuleSetCache } from './rules/rule-set.cache';
import { CLOCK, Clock } from './shared/clock';
import { StudentRepository } from './students/student.repository';

const shared = [
  StudentRepository,
  ProgrammeRepository,
  DecisionRepository,
  OverrideRepository,
  AwardRepository,
  ReevaluationJobRepository,
  StandingRepository,
  RuleSetCache,
  AwardBook,
  EligibilityDecider,
  LiveExplanation,
  ReevaluationRunner,
  ReevaluationQueue,
];

/** What the features share: repositories, the decider, the award book, the re-evaluation queue and the clock. */
@Module({})
export class EligibilityCoreModule {
  static forRoot(options: { clock: Clock }): DynamicModule {
    return {
      module: EligibilityCoreModule,
      global: true,
      providers: [...shared, { provide: CLOCK, useValue: options.clock }],
      exports: [...shared, CLOCK],
    };
  }
}
