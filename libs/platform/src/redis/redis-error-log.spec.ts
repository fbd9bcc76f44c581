import { EventEmitter } from 'node:events';
import { ErrorLogThrottle, logRedisErrors } from './redis-error-log';

describe('ErrorLogThrottle', () => {
  it('admits the first error of a kind, then one per interval with the count left out since', () => {
    const throttle = new ErrorLogThrottle(10_000);
    expect(throttle.admit('ECONNREFUSED', 0)).toEqual({ suppressed: 0 });
    for (let at = 100; at < 10_000; at += 250) expect(throttle.admit('ECONNREFUSED', at)).toBeNull();
    expect(throttle.admit('ECONNREFUSED', 10_000)).toEqual({ suppressed: 40 });
    expect(throttle.admit('ECONNREFUSED', 10_001)).toBeNull();
  });

  it('counts each kind of error apart, so a new problem is not hidden behind an old one', () => {
    const throttle = new ErrorLogThrottle(10_000);
    expect(throttle.admit('ECONNREFUSED', 0)).toEqual({ suppressed: 0 });
    expect(throttle.admit('NOAUTH Authentication required.', 5)).toEqual({ suppressed: 0 });
    expect(throttle.admit('ECONNREFUSED', 6)).toBeNull();
  });
});

describe('logRedisErrors', () => {
  it('logs a connection error once, as a warning naming the connection, instead of every retry', () => {
    const emitter = new EventEmitter();
    const logger = { warn: jest.fn() };
    logRedisErrors(emitter, { connection: 'shared', logger });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6399'), { code: 'ECONNREFUSED' });
    for (let attempt = 0; attempt < 42; attempt++) emitter.emit('error', refused);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      { connection: 'shared', error: 'connect ECONNREFUSED 127.0.0.1:6399', code: 'ECONNREFUSED' },
      'Redis connection problem',
    );
  });
});
