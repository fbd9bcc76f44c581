import { diffStudentFields, searchTextOf, StudentFields, toStudentSnapshot } from './student.record';
import { studentSnapshotSchema } from '@scholarpay/contracts';

const fields: StudentFields = {
  nationalId: 'ML0001',
  firstName: 'Aïssata',
  lastName: "N'Diaye",
  sex: 'F',
  dateOfBirth: '2001-03-14',
  regionOfOrigin: 'Gao',
  schoolId: '0f0b6c9e-2b7a-4a53-8f0e-6f1d9a1c3b22',
  schoolCode: 'ESS-GAO',
  programmeOfStudy: 'nursing',
  intakeYear: 2014,
  phone: '+22376123456',
  operator: 'orange',
};

describe('student record', () => {
  it('lists only the fields that changed, with before and after', () => {
    expect(diffStudentFields(fields, { ...fields })).toEqual({});
    expect(diffStudentFields(fields, { ...fields, phone: '+22366123456', operator: 'moov' })).toEqual({
      phone: { from: '+22376123456', to: '+22366123456' },
      operator: { from: 'orange', to: 'moov' },
    });
  });

  it('folds names for accent-insensitive search', () => {
    expect(searchTextOf({ firstName: 'Aïssata', lastName: "N'Diaye" })).toBe('aissata n diaye');
    expect(searchTextOf({ firstName: 'Sékou', lastName: 'Ould Mohamed' })).toBe('sekou ould mohamed');
  });

  it('builds a snapshot the contract accepts', () => {
    const snapshot = toStudentSnapshot({
      ...fields,
      id: '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11',
      version: 3,
      status: 'suspended',
      enrolledAt: new Date('2014-10-01T08:00:00Z'),
    });
    expect(studentSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({
      studentId: '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11',
      version: 3,
      enrolledAt: '2014-10-01T08:00:00.000Z',
    });
  });
});
