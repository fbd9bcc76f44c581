import { ProviderError } from '../common/provider-error';
import { parseInstant, parseStatementQuery, StatementQuery } from './statement-query';

function problemsOf(query: StatementQuery): { field: string; problem: string }[] {
  try {
    parseStatementQuery(query);
  } catch (error) {
    if (error instanceof ProviderError && error.status === 400) return error.body.errors as { field: string; problem: string }[];
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

const microsOf = (text: string) => {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.instant.epochMicros;
};

describe('statement query', () => {
  it('reads an empty query as the whole statement, 100 at a time', () => {
    expect(parseStatementQuery({})).toEqual({ from: null, to: null, position: null, limit: 100 });
  });

  it('compares from and to as instants, not as text', () => {
    // Shorter text, later time: "23:00Z" sorts after "23:00:30Z".
    expect(parseStatementQuery({ from: '2026-12-07T23:00Z', to: '2026-12-07T23:00:30Z' }).to?.text).toBe('2026-12-07T23:00:30Z');
    // 2026-12-07T23:00Z written in +01:00: a 30-minute window.
    expect(parseStatementQuery({ from: '2026-12-08T00:00:00+01:00', to: '2026-12-07T23:30:00Z' }).from?.text).toBe(
      '2026-12-08T00:00:00+01:00',
    );
    expect(problemsOf({ from: '2026-12-07T23:30:00Z', to: '2026-12-08T00:00:00+01:00' })).toEqual([
      { field: 'to', problem: 'must be after from' },
    ]);
    expect(problemsOf({ from: '2026-12-07T23:00:00Z', to: '2026-12-08T00:00+01:00' })).toEqual([
      { field: 'to', problem: 'must be after from' },
    ]);
  });

  it('keeps microseconds, as Postgres does', () => {
    expect(microsOf('2026-03-01T00:00:00.000002Z') - microsOf('2026-03-01T00:00:00.000001Z')).toBe(1n);
    expect(microsOf('2026-03-01T00:00:00.5Z') - microsOf('2026-03-01T00:00Z')).toBe(500_000n);
    expect(microsOf('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(microsOf('2026-03-01T00:00:00-05:30')).toBe(BigInt(Date.parse('2026-03-01T05:30:00Z')) * 1000n);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'must be a real calendar date (2026-02-30 does not exist)'],
    ['2025-02-29T00:00:00Z', 'must be a real calendar date (2025-02-29 does not exist)'],
    ['2026-13-01T00:00:00Z', 'must be a real calendar date (2026-13-01 does not exist)'],
    ['2026-04-00T00:00:00Z', 'must be a real calendar date (2026-04-00 does not exist)'],
    ['0000-01-01T00:00:00Z', 'must have a year from 1900 to 9999'],
    ['1899-12-31T23:59:59Z', 'must have a year from 1900 to 9999'],
    ['2026-03-01T24:00:00Z', 'must have a time of day from 00:00:00 to 23:59:59'],
    ['2026-03-01T23:60:00Z', 'must have a time of day from 00:00:00 to 23:59:59'],
    ['2026-03-01T23:59:60Z', 'must have a time of day from 00:00:00 to 23:59:59'],
    ['2026-03-01T00:00:00+16:00', 'must have a time zone offset from -14:00 to +14:00'],
    ['2026-03-01T00:00:00-00:60', 'must have a time zone offset from -14:00 to +14:00'],
    ['2026-03-01', 'must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z)'],
    ['2026-03-01T00:00:00', 'must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z)'],
  ])('refuses from=%s, saying why', (from, problem) => {
    expect(problemsOf({ from })).toEqual([{ field: 'from', problem }]);
  });

  it('accepts the edges of the ranges', () => {
    expect(parseInstant('2024-02-29T23:59:59.999999Z').ok).toBe(true);
    expect(parseInstant('1900-01-01T00:00:00+14:00').ok).toBe(true);
    expect(parseInstant('9999-12-31T23:59:59-14:00').ok).toBe(true);
  });

  it('names every bad parameter at once', () => {
    expect(problemsOf({ from: ['2026-03-01T00:00:00Z'], to: '2026-02-30T00:00:00Z', limit: '0', cursor: 'x!' })).toEqual([
      { field: 'from', problem: 'must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z)' },
      { field: 'to', problem: 'must be a real calendar date (2026-02-30 does not exist)' },
      { field: 'limit', problem: 'must be a whole number from 1 to 1000' },
      { field: 'cursor', problem: 'is not a cursor this statement returned' },
    ]);
  });

  it('refuses a cursor out of range as one it never returned', () => {
    expect(problemsOf({ cursor: Buffer.from('9999999999999999999:1').toString('base64url') })).toEqual([
      { field: 'cursor', problem: 'is not a cursor this statement returned' },
    ]);
  });
});
