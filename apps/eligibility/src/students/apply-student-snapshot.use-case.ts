import { Injectable, Logger } from '@nestjs/common';
import { EventTypes, type EventEnvelope, type StudentSnapshot } from '@scholarpay/contracts';
import { MetricsService } from '@scholarpay/platform';
import type { EntityManager } from 'typeorm';
import type { StatusChangeContext } from '../awards/award.reasons';
import { EligibilityDecider } from '../decisions/eligibility-decider';
import { ProgrammeRepository } from '../programmes/programme.repository';
import { ReevaluationJobRepository } from '../reevaluation/reevaluation-job.repository';
import { holdProgrammeSetShared } from '../shared/programme-set.lock';
import { StudentRepository } from './student.repository';

interface StudentEventData {
  student: StudentSnapshot;
  from?: string;
  to?: string;
  reason?: string;
  changedBy?: string;
}

/**
 * Applies a student snapshot from enrolment (registered, updated or status changed) to the read
 * model, then decides the student again in every programme. A snapshot whose version is not newer
 * than the one held changes nothing: an update that arrives late never rolls a student back.
 * Runs inside the inbox's transaction, so a redelivered event changes nothing either.
 */
@Injectable()
export class ApplyStudentSnapshotUseCase {
  private readonly logger = new Logger(ApplyStudentSnapshotUseCase.name);
  private readonly snapshots;

  constructor(
    private readonly students: StudentRepository,
    private readonly programmes: ProgrammeRepository,
    private readonly jobs: ReevaluationJobRepository,
    private readonly decider: EligibilityDecider,
    metrics: MetricsService,
  ) {
    this.snapshots = metrics.counter(
      'eligibility_student_snapshots_total',
      'Student snapshots from enrolment by outcome',
      ['outcome'],
    );
  }

  async execute(event: EventEnvelope<StudentEventData>, manager: EntityManager): Promise<void> {
    const snapshot = event.data.student;
    // No programme may appear while this student is decided in every programme (see the lock).
    await holdProgrammeSetShared(manager);
    const student = await this.students.saveIfNewer(manager, snapshot);
    if (!student) {
      const held = await this.students.findVersion(manager, snapshot.studentId);
      this.snapshots.inc({ outcome: 'stale' });
      this.logger.log(
        { studentId: snapshot.studentId, eventId: event.id, version: snapshot.version, heldVersion: held },
        'student snapshot not newer than the one held; ignored',
      );
      return;
    }
    this.snapshots.inc({ outcome: 'applied' });
    const statusChanges = new Map<string, StatusChangeContext>();
    if (event.type === EventTypes.studentStatusChanged && event.data.to === student.status) {
      statusChanges.set(student.studentId, {
        from: event.data.from!,
        to: event.data.to!,
        reason: event.data.reason!,
        changedBy: event.data.changedBy!,
      });
    }
    const programmes = await this.programmes.lockAll(manager);
    if (programmes.length === 0) return;
    const busy = await this.jobs.programmesBeingReevaluated(manager);
    for (const programme of programmes) {
      await this.decider.decideStudents(
        manager,
        programme,
        [student],
        { cause: 'student_event', actor: 'system', statusChanges },
        { grant: busy.has(programme.programmeId) ? 'later' : 'now' },
      );
    }
  }
}
