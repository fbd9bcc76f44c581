import { isTransientDatabaseError } from './database-availability';

function pgError(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransientDatabaseError', () => {
  it.each([
    ['admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['connection failure', pgError('08006')],
    ['too many connections', pgError('53300')],
    ['serialization failure', pgError('40001')],
    ['deadlock', pgError('40P01')],
    ['refused socket', pgError('ECONNREFUSED')],
    ['pg connection end', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['TypeORM-wrapped', Object.assign(new Error('query failed'), { driverError: pgError('57P01') })],
  ])('%s: transient', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505')],
    ['check violation', pgError('23514')],
    ['syntax error', pgError('42601')],
    ['invalid text for uuid', pgError('22P02')],
    ['a bug of ours', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', null],
  ])('%s: not transient', (_name, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
