import { describeStartupFailure } from './run-main';

/** A Node connection error as pg and ioredis pass it on. */
function connectError(code: string, address: string, port: number): Error {
  return Object.assign(new Error(`connect ${code} ${address}:${port}`), {
    code,
    errno: -111,
    syscall: 'connect',
    address,
    port,
  });
}

describe('describeStartupFailure', () => {
  it('names DATABASE_URL when PostgreSQL refuses the connection at the port it names, whichever port', () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5433/x' };
    expect(describeStartupFailure('enrolment', connectError('ECONNREFUSED', '127.0.0.1', 5433), env)).toBe(
      'enrolment: cannot reach PostgreSQL at 127.0.0.1:5433 (DATABASE_URL): ECONNREFUSED. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  });

  it('names REDIS_URL for its address, with the defaults when the variables are unset', () => {
    expect(describeStartupFailure('exams', connectError('ECONNREFUSED', '127.0.0.1', 6379), {})).toMatch(
      /^exams: cannot reach Redis at 127.0.0.1:6379 \(REDIS_URL\): ECONNREFUSED\. Start it with: redis-server/,
    );
    expect(describeStartupFailure('exams', connectError('ECONNREFUSED', '127.0.0.1', 5432), {})).toMatch(
      /^exams: cannot reach PostgreSQL at 127.0.0.1:5432 \(DATABASE_URL\)/,
    );
  });

  it('matches a host name by its port, and gives no local start command for a remote host', () => {
    const env = { DATABASE_URL: 'postgres://scholarpay:pw@db.example.ml:6432/scholarpay' };
    expect(describeStartupFailure('payments', connectError('ETIMEDOUT', '10.1.2.3', 6432), env)).toBe(
      'payments: cannot reach PostgreSQL at 10.1.2.3:6432 (DATABASE_URL): ETIMEDOUT',
    );
  });

  it('names the variable whose host does not resolve', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND cache.example.ml'), {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
      hostname: 'cache.example.ml',
    });
    expect(describeStartupFailure('exams', error, { REDIS_URL: 'redis://cache.example.ml:6379' })).toBe(
      'exams: cannot resolve cache.example.ml, the host of REDIS_URL (Redis)',
    );
  });

  it('names HOST when the service cannot listen on it', () => {
    const error = Object.assign(new Error('listen EADDRNOTAVAIL: address not available 10.9.9.9:3001'), {
      code: 'EADDRNOTAVAIL',
      syscall: 'listen',
      address: '10.9.9.9',
      port: 3001,
    });
    expect(describeStartupFailure('enrolment', error, { HOST: '10.9.9.9' })).toBe(
      'enrolment: cannot listen on HOST 10.9.9.9: EADDRNOTAVAIL (set HOST to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)',
    );
  });

  it('keeps the stack of a connection to anything else, which is no configuration mistake', () => {
    expect(describeStartupFailure('enrolment', connectError('ECONNREFUSED', '127.0.0.1', 9999), {})).toMatch(
      /^enrolment: failed to start: Error: connect ECONNREFUSED 127.0.0.1:9999\n/,
    );
  });
});
