import { formatLogLine } from './log-format';

const plain = { nameWidth: 12, colour: false, json: false };
const at = (iso: string) => {
  const date = new Date(iso);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
};

describe('formatLogLine', () => {
  it('turns a pino line into one readable line under the service name', () => {
    const line = JSON.stringify({
      level: 40,
      time: '2025-03-01T10:15:30.250Z',
      service: 'payments',
      name: 'payments',
      pid: 12,
      msg: 'provider answered 429',
      batchId: 'b-1',
      retryAfter: 2,
    });
    expect(formatLogLine('payments', line, plain)).toBe(
      `payments     | ${at('2025-03-01T10:15:30.250Z')} WARN  provider answered 429 batchId=b-1 retryAfter=2`,
    );
  });

  it('summarises pino-http request lines', () => {
    const line = JSON.stringify({
      level: 30,
      time: '2025-03-01T10:15:30.000Z',
      req: { id: 'x', method: 'POST', url: '/api/v1/students' },
      statusCode: 201,
      responseTime: 12.4,
      msg: 'request completed',
      correlationId: 'c-1',
    });
    expect(formatLogLine('enrolment', line, plain)).toBe(
      `enrolment    | ${at('2025-03-01T10:15:30.000Z')} INFO  POST /api/v1/students 201 12ms correlationId=c-1`,
    );
  });

  it('prints an error stack under the line, and string levels (the broker) as they are', () => {
    const line = JSON.stringify({
      level: 'error',
      time: '2025-03-01T10:15:30.000Z',
      msg: 'fetch failed',
      err: { message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)' },
    });
    expect(formatLogLine('kafka', line, plain).split('\n')).toEqual([
      `kafka        | ${at('2025-03-01T10:15:30.000Z')} ERROR fetch failed`,
      'kafka        |     Error: boom',
      'kafka        |         at x (y.ts:1:1)',
    ]);
  });

  it('passes lines that are not JSON objects through, and keeps JSON as is when asked', () => {
    expect(formatLogLine('exams', 'exams: invalid configuration:', plain)).toBe(
      'exams        | exams: invalid configuration:',
    );
    expect(formatLogLine('exams', '{not json', plain)).toBe('exams        | {not json');
    expect(formatLogLine('exams', '{"level":30,"msg":"hi"}', { ...plain, json: true })).toBe(
      'exams        | {"level":30,"msg":"hi"}',
    );
  });

  it('quotes values with spaces and serialises objects', () => {
    const line = JSON.stringify({ level: 30, msg: 'm', reason: 'two words', detail: { a: 1 } });
    expect(formatLogLine('x', line, { ...plain, nameWidth: 1 })).toBe(
      'x | INFO  m reason="two words" detail={"a":1}',
    );
  });
});
