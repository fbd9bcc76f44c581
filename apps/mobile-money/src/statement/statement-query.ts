import { ProviderError } from '../common/provider-error';
import { decodeCursor, StatementPosition } from './statement-cursor';

export interface StatementQuery {
  from?: unknown;
  to?: unknown;
  cursor?: unknown;
  limit?: unknown;
}

/** An instant as the caller wrote it (Postgres reads the text) and as microseconds since the epoch (to compare). */
export interface StatementInstant {
  text: string;
  epochMicros: bigint;
}

export interface ParsedStatementQuery {
  from: StatementInstant | null;
  to: StatementInstant | null;
  position: StatementPosition | null;
  limit: number;
}

type Problem = { field: string; problem: string };

export const DEFAULT_STATEMENT_LIMIT = 100;
export const MAX_STATEMENT_LIMIT = 1000;
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;
/** Real time zones run from −12:00 to +14:00; Postgres refuses displacements past ±15:59 (a 500). */
const MAX_OFFSET_MINUTES = 14 * 60;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const ISO_PROBLEM = 'must be an ISO 8601 date-time with a time zone (e.g. 2026-03-01T00:00:00Z)';

/**
 * Reads the statement's query, or refuses it with every problem named. The window is checked on
 * instants, never on the text: `23:00Z` and `23:00:30Z`, or `00:00+01:00` and `23:30Z`, are
 * compared by the time they denote.
 */
export function parseStatementQuery(query: StatementQuery): ParsedStatementQuery {
  const problems: Problem[] = [];
  const from = readInstant(query.from, 'from', problems);
  const to = readInstant(query.to, 'to', problems);
  let limit = DEFAULT_STATEMENT_LIMIT;
  if (query.limit !== undefined) {
    const text = String(query.limit);
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_STATEMENT_LIMIT) {
      problems.push({ field: 'limit', problem: `must be a whole number from 1 to ${MAX_STATEMENT_LIMIT}` });
    } else {
      limit = Number(text);
    }
  }
  let position: StatementPosition | null = null;
  if (query.cursor !== undefined) {
    position = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : null;
    if (!position) problems.push({ field: 'cursor', problem: 'is not a cursor this statement returned' });
  }
  if (from && to && from.epochMicros >= to.epochMicros) problems.push({ field: 'to', problem: 'must be after from' });
  if (problems.length) {
    throw ProviderError.invalidRequest(
      `the statement query is invalid: ${problems.map((entry) => `${entry.field} ${entry.problem}`).join('; ')}`,
      problems,
    );
  }
  return { from, to, position, limit };
}

/**
 * An ISO 8601 date-time with a zone, checked field by field: Date.parse rolls 2026-02-30 over to
 * March 2 and takes year 0000 or offset +16:00, which Postgres then refuses with a 500.
 */
export function parseInstant(value: unknown): { ok: true; instant: StatementInstant } | { ok: false; problem: string } {
  const match = typeof value === 'string' ? ISO_DATETIME.exec(value) : null;
  if (!match) return { ok: false, problem: ISO_PROBLEM };
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const micros = match[7] === undefined ? 0 : Number(match[7].padEnd(6, '0'));
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, problem: `must have a year from ${MIN_YEAR} to ${MAX_YEAR}` };
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) {
    return { ok: false, problem: `must be a real calendar date (${match[1]}-${match[2]}-${match[3]} does not exist)` };
  }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: 'must have a time of day from 00:00:00 to 23:59:59' };
  let offsetMinutes = 0;
  if (match[8] !== undefined) {
    const offsetHours = Number(match[9]);
    const offsetMins = Number(match[10]);
    offsetMinutes = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
    if (offsetMins > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) {
      return { ok: false, problem: 'must have a time zone offset from -14:00 to +14:00' };
    }
  }
  const epochMillis = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return { ok: true, instant: { text: value as string, epochMicros: BigInt(epochMillis) * 1000n + BigInt(micros) } };
}

function readInstant(value: unknown, field: string, problems: Problem[]): StatementInstant | null {
  if (value === undefined) return null;
  const parsed = parseInstant(value);
  if (parsed.ok) return parsed.instant;
  problems.push({ field, problem: parsed.problem });
  return null;
}
