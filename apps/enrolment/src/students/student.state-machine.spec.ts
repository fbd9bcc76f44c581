import { checkStatusTransition, isActiveStatus, STUDENT_STATUS_TRANSITIONS } from './student.state-machine';
import type { StudentStatus } from '@scholarpay/contracts';

describe('student status machine', () => {
  const statuses: StudentStatus[] = ['enrolled', 'suspended', 'withdrawn', 'graduated'];
  const allowed = new Set([
    'enrolled>suspended',
    'enrolled>withdrawn',
    'enrolled>graduated',
    'suspended>enrolled',
    'suspended>withdrawn',
    'withdrawn>enrolled',
  ]);

  it.each(statuses.flatMap((from) => statuses.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const result = checkStatusTransition(from, to);
    expect(result.allowed).toBe(allowed.has(`${from}>${to}`));
  });

  it('explains a refusal', () => {
    expect(checkStatusTransition('graduated', 'enrolled')).toEqual({
      allowed: false,
      reason: 'a graduated student cannot become enrolled: graduated is final',
    });
    expect(checkStatusTransition('suspended', 'suspended')).toEqual({
      allowed: false,
      reason: 'the student is already suspended',
    });
    expect(checkStatusTransition('withdrawn', 'graduated')).toMatchObject({
      reason: expect.stringContaining('may become enrolled'),
    });
  });

  it('treats enrolled and suspended students as active', () => {
    expect(statuses.filter(isActiveStatus)).toEqual(['enrolled', 'suspended']);
    expect(Object.keys(STUDENT_STATUS_TRANSITIONS)).toEqual(statuses);
  });
});
