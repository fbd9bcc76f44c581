import type { StudentChangeResource, StudentDetailResource, StudentResource } from './dto/student.resource';
import type { StudentChangeEntity, StudentEntity, StudentStatusHistoryEntity } from './student.entity';

export function toStudentResource(student: StudentEntity): StudentResource {
  return {
    id: student.id,
    version: student.version,
    nationalId: student.nationalId,
    firstName: student.firstName,
    lastName: student.lastName,
    sex: student.sex,
    dateOfBirth: student.dateOfBirth,
    regionOfOrigin: student.regionOfOrigin,
    schoolId: student.schoolId,
    schoolCode: student.schoolCode,
    programmeOfStudy: student.programmeOfStudy,
    intakeYear: student.intakeYear,
    phone: student.phone,
    operator: student.operator,
    status: student.status,
    enrolledAt: student.enrolledAt.toISOString(),
    updatedAt: student.updatedAt.toISOString(),
    updatedBy: student.updatedBy,
  };
}

export function toStudentDetailResource(
  student: StudentEntity,
  history: StudentStatusHistoryEntity[],
): StudentDetailResource {
  return {
    ...toStudentResource(student),
    statusHistory: history.map((entry) => ({
      from: entry.fromStatus,
      to: entry.toStatus,
      reason: entry.reason,
      changedBy: entry.changedBy,
      changedAt: entry.changedAt.toISOString(),
    })),
  };
}

export function toStudentChangeResource(change: StudentChangeEntity): StudentChangeResource {
  return {
    version: change.version,
    changes: change.changes,
    reason: change.reason,
    changedBy: change.changedBy,
    changedAt: change.changedAt.toISOString(),
  };
}
