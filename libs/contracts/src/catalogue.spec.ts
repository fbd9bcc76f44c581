import { buildEnvelope } from './envelope';
import { EventTypes, eventCatalogue, validateEvent } from './catalogue';

const student = {
  studentId: '7d3f1a52-8a43-4f4e-9d0b-3c6f0b7c2a11',
  version: 1,
  nationalId: 'ML-0001',
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
  status: 'enrolled',
  enrolledAt: '2014-10-01T08:00:00.000Z',
};

describe('event catalogue', () => {
  it('accepts a well-formed event of a known type', () => {
    const event = buildEnvelope({
      source: 'enrolment',
      type: EventTypes.studentRegistered,
      subject: student.studentId,
      data: { student },
    });
    const result = validateEvent(JSON.parse(JSON.stringify(event)));
    expect(result.ok).toBe(true);
  });

  it('names the field that breaks the schema', () => {
    const event = buildEnvelope({
      source: 'enrolment',
      type: EventTypes.studentRegistered,
      subject: student.studentId,
      data: { student: { ...student, intakeYear: 'soon' } },
    });
    const result = validateEvent(event);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('student.intakeYear') });
  });

  it('rejects an unknown type and a broken envelope', () => {
    const event = buildEnvelope({ source: 'x', type: 'scholarpay.nothing.v1', subject: 's', data: {} });
    expect(validateEvent(event)).toEqual({ ok: false, reason: 'unknown event type "scholarpay.nothing.v1"' });
    expect(validateEvent({ hello: 'world' })).toEqual({ ok: false, reason: expect.stringMatching(/^invalid envelope/) });
  });

  it('gives every event type a topic and a key', () => {
    for (const [type, definition] of Object.entries(eventCatalogue)) {
      expect(type).toMatch(/^scholarpay\.[a-z-]+(\.[a-z-]+)+\.v\d+$/);
      expect(definition.topic).toMatch(/\.v\d+$/);
      expect(definition.keyedBy).toBeTruthy();
    }
  });
});
