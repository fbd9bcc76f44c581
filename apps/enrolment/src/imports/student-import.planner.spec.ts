import { StudentEntity } from '../students/student.entity';
import { BatchContext, planImportBatch } from './student-import.planner';
import type { ParsedStudentRow } from './student-row.parser';

const GAO = { id: '00000000-0000-4000-8000-000000000001', code: 'ESS-GAO' };
const KIDAL = { id: '00000000-0000-4000-8000-000000000002', code: 'ESS-KIDAL' };
const now = new Date('2026-05-10T10:00:00Z');

function row(overrides: Partial<ParsedStudentRow> = {}): ParsedStudentRow {
  return {
    row: 2,
    nationalId: 'ML1',
    firstName: 'Aïssata',
    lastName: "N'Diaye",
    sex: 'F',
    dateOfBirth: '2001-03-14',
    regionOfOrigin: 'Gao',
    school: 'ess-gao',
    programmeOfStudy: 'nursing',
    intakeYear: 2019,
    phone: { e164: '+22376123456', inferredOperator: 'orange' },
    operator: undefined,
    ...overrides,
  };
}

function stored(overrides: Partial<StudentEntity> = {}): StudentEntity {
  return Object.assign(new StudentEntity(), {
    id: '10000000-0000-4000-8000-000000000001',
    seq: 1,
    version: 3,
    nationalId: 'ML1',
    firstName: 'Aïssata',
    lastName: "N'Diaye",
    searchText: 'aissata n diaye',
    sex: 'F',
    dateOfBirth: '2001-03-14',
    regionOfOrigin: 'Gao',
    schoolId: GAO.id,
    schoolCode: GAO.code,
    programmeOfStudy: 'nursing',
    intakeYear: 2019,
    phone: '+22376123456',
    operator: 'orange',
    status: 'enrolled',
    enrolledAt: new Date('2019-10-01T00:00:00Z'),
    createdBy: 'someone',
    updatedBy: 'someone',
    createdAt: new Date('2019-10-01T00:00:00Z'),
    updatedAt: new Date('2019-10-01T00:00:00Z'),
    ...overrides,
  });
}

function context(overrides: Partial<BatchContext> = {}): BatchContext {
  let next = 0;
  return {
    existing: new Map(),
    activePhoneHolders: new Map(),
    schools: {
      resolve: (reference) => [GAO, KIDAL].find((school) => school.code === reference.toUpperCase()) ?? null,
    },
    scope: { allSchools: true, schoolIds: [] },
    actor: 'importer',
    now,
    newId: () => `20000000-0000-4000-8000-00000000000${++next}`,
    columns: { nationalId: 'nina', school: 'code_ecole', phone: 'téléphone', operator: 'opérateur' },
    ...overrides,
  };
}

describe('planImportBatch', () => {
  it('creates a new student as enrolled version 1', () => {
    const [decision] = planImportBatch([row()], context());
    expect(decision).toMatchObject({
      kind: 'create',
      row: 2,
      student: {
        id: '20000000-0000-4000-8000-000000000001',
        version: 1,
        status: 'enrolled',
        schoolId: GAO.id,
        schoolCode: 'ESS-GAO',
        operator: 'orange',
        createdBy: 'importer',
      },
    });
  });

  it('finds nothing to do for an identical row', () => {
    expect(planImportBatch([row()], context({ existing: new Map([['ML1', stored()]]) }))).toEqual([
      { kind: 'unchanged', row: 2 },
    ]);
  });

  it('keeps an operator set by hand when the file leaves it blank and the number is the same', () => {
    const existing = new Map([['ML1', stored({ operator: 'moov' })]]);
    expect(planImportBatch([row()], context({ existing }))).toEqual([{ kind: 'unchanged', row: 2 }]);
  });

  it('updates what changed, bumping the version', () => {
    const existing = new Map([['ML1', stored()]]);
    const [decision] = planImportBatch(
      [row({ school: 'ESS-KIDAL', phone: { e164: '+22366123456', inferredOperator: 'moov' } })],
      context({ existing }),
    );
    expect(decision).toMatchObject({
      kind: 'update',
      student: {
        id: stored().id,
        version: 4,
        schoolId: KIDAL.id,
        phone: '+22366123456',
        operator: 'moov',
        updatedBy: 'importer',
        updatedAt: now,
      },
      changes: {
        schoolId: { from: GAO.id, to: KIDAL.id },
        schoolCode: { from: 'ESS-GAO', to: 'ESS-KIDAL' },
        phone: { from: '+22376123456', to: '+22366123456' },
        operator: { from: 'orange', to: 'moov' },
      },
    });
  });

  it('leaves the stored phone alone when the file has no phone column', () => {
    const existing = new Map([['ML1', stored()]]);
    expect(planImportBatch([row({ phone: undefined })], context({ existing }))).toEqual([
      { kind: 'unchanged', row: 2 },
    ]);
  });

  it('rejects unknown schools and schools outside a school administrator’s reach', () => {
    const decisions = planImportBatch(
      [row({ school: 'NOPE' }), row({ row: 3, nationalId: 'ML2', school: 'ESS-KIDAL', phone: null })],
      context({ scope: { allSchools: false, schoolIds: [GAO.id] } }),
    );
    expect(decisions).toEqual([
      {
        kind: 'reject',
        row: 2,
        problems: [{ row: 2, column: 'code_ecole', message: 'no school has the code "NOPE"' }],
      },
      {
        kind: 'reject',
        row: 3,
        problems: [
          { row: 3, column: 'code_ecole', message: 'ESS-KIDAL is not one of the schools you administer' },
        ],
      },
    ]);
  });

  it('does not let a school administrator take over another school’s student', () => {
    const existing = new Map([['ML1', stored({ schoolId: KIDAL.id, schoolCode: KIDAL.code })]]);
    const [decision] = planImportBatch(
      [row()],
      context({ existing, scope: { allSchools: false, schoolIds: [GAO.id] } }),
    );
    expect(decision).toEqual({
      kind: 'reject',
      row: 2,
      problems: [
        { row: 2, column: 'nina', message: 'is already registered for a student you do not administer' },
      ],
    });
    // Nothing says which school or student holds the id.
    expect(JSON.stringify(decision)).not.toMatch(/ESS-KIDAL|10000000-0000-4000-8000-000000000001/);
  });

  it('does not tell a school administrator who, in another school, holds a phone number', () => {
    const holder = { id: '30000000-0000-4000-8000-000000000001', schoolId: KIDAL.id };
    const [elsewhere] = planImportBatch(
      [row()],
      context({
        activePhoneHolders: new Map([['+22376123456', holder]]),
        scope: { allSchools: false, schoolIds: [GAO.id] },
      }),
    );
    expect(elsewhere).toEqual({
      kind: 'reject',
      row: 2,
      problems: [{ row: 2, column: 'téléphone', message: 'already belongs to another active student' }],
    });
    const [inOwnSchool] = planImportBatch(
      [row()],
      context({
        activePhoneHolders: new Map([['+22376123456', { ...holder, schoolId: GAO.id }]]),
        scope: { allSchools: false, schoolIds: [GAO.id] },
      }),
    );
    expect(inOwnSchool).toMatchObject({
      problems: [{ message: `already belongs to active student ${holder.id}` }],
    });
  });

  it('refuses a phone held by another active student, in the database or earlier in the batch', () => {
    const holder = '30000000-0000-4000-8000-000000000001';
    const decisions = planImportBatch(
      [
        row(),
        row({ row: 3, nationalId: 'ML2', phone: { e164: '+22366000000', inferredOperator: 'moov' } }),
        row({ row: 4, nationalId: 'ML3', phone: { e164: '+22366000000', inferredOperator: 'moov' } }),
      ],
      context({ activePhoneHolders: new Map([['+22376123456', { id: holder, schoolId: KIDAL.id }]]) }),
    );
    expect(decisions[0]).toEqual({
      kind: 'reject',
      row: 2,
      problems: [{ row: 2, column: 'téléphone', message: `already belongs to active student ${holder}` }],
    });
    expect(decisions[1]).toMatchObject({ kind: 'create', row: 3 });
    expect(decisions[2]).toMatchObject({
      kind: 'reject',
      row: 4,
      problems: [{ message: expect.stringContaining('20000000-0000-4000-8000-00000000000') }],
    });
  });

  it('lets a withdrawn student keep a number another active student now holds', () => {
    const existing = new Map([['ML1', stored({ status: 'withdrawn', phone: '+22376000000' })]]);
    const decisions = planImportBatch(
      [row()],
      context({
        existing,
        activePhoneHolders: new Map([['+22376123456', { id: 'someone-else', schoolId: GAO.id }]]),
      }),
    );
    expect(decisions[0]).toMatchObject({
      kind: 'update',
      changes: { phone: { from: '+22376000000', to: '+22376123456' } },
    });
  });
});
