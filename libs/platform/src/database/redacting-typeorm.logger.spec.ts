import { describeStatement, scrubDatabaseError } from './redacting-typeorm.logger';

describe('database error scrubbing', () => {
  it('removes parameters and detail, also on the driver error', () => {
    const driverError = { detail: 'Key (phone)=(+22376123456) already exists', where: 'x' };
    const error = { message: 'duplicate key', parameters: ['+22376123456', 'ML-1'], query: 'INSERT INTO students VALUES ($1, $2)', driverError };
    scrubDatabaseError(error);
    expect(JSON.stringify(error)).not.toContain('+22376123456');
    expect(JSON.stringify(error)).not.toContain('ML-1');
    expect(error.parameters).toBe('[REDACTED]');
    expect(driverError.detail).toBe('[REDACTED]');
  });

  it('keeps only the start of a statement', () => {
    expect(describeStatement(`SELECT   a\n FROM b WHERE ${'x'.repeat(200)}`)).toHaveLength(80);
  });
});
