import { Logger } from '@nestjs/common';
import { describeStatement, RedactingTypeOrmLogger, scrubDatabaseError } from './log-redaction';

describe('log redaction for database errors', () => {
  it('never logs query parameters or key details', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      new RedactingTypeOrmLogger().logQueryError(
        new Error('duplicate key value violates unique constraint "students_active_phone_key"'),
        'INSERT INTO students (id, phone)\n  VALUES ($1, $2)',
      );
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).toContain('students_active_phone_key');
      expect(logged).toContain('INSERT INTO students (id, phone) VALUES ($1, $2)');
      expect(logged).not.toContain('PARAMETERS');
    } finally {
      warn.mockRestore();
    }
  });

  it('scrubs parameters and detail from an error and its driver error', () => {
    const driverError = Object.assign(new Error('duplicate key'), {
      code: '23505',
      detail: 'Key (phone)=(+22376123456) already exists.',
    });
    const error = Object.assign(new Error('duplicate key'), {
      parameters: ['ML0001', '+22376123456'],
      driverError,
      detail: driverError.detail,
    });
    scrubDatabaseError(error);
    expect(JSON.stringify({ ...error, driverError: { ...driverError } })).not.toMatch(/ML0001|22376123456/);
    expect(driverError.code).toBe('23505');
  });

  it('keeps only the start of a statement', () => {
    expect(describeStatement(`SELECT ${'x, '.repeat(100)} FROM t`)).toHaveLength(80);
  });
});
