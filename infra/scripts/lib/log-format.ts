/**
 * Turns the JSON log lines of the services (pino) and of the broker into one readable line each,
 * prefixed with the process name, for `npm start`. Lines that are not JSON (a startup failure
 * printed by runMain, a stack trace) pass through with the prefix.
 */

const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<string, number> = {
  TRACE: 90,
  DEBUG: 90,
  INFO: 32,
  WARN: 33,
  ERROR: 31,
  FATAL: 35,
};
/** Fields shown in the line's head, or noise for a developer watching a terminal. */
const OMITTED = new Set([
  'level',
  'time',
  'msg',
  'message',
  'pid',
  'hostname',
  'service',
  'name',
  'v',
  'err',
  'error',
  'req',
  'res',
  'responseTime',
]);

export interface LineFormat {
  /** Padded width of the process name column. */
  nameWidth: number;
  colour: boolean;
  /** Keep the raw JSON (with the prefix) instead of the readable form. */
  json: boolean;
}

export const paint = (enabled: boolean, code: number, text: string): string =>
  enabled ? `\u001b[${code}m${text}\u001b[0m` : text;

/** A stable colour per process name, so each service's lines are easy to follow. */
export function nameColour(name: string): number {
  const palette = [36, 35, 34, 33, 32, 96, 95, 94];
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

export function formatLogLine(name: string, line: string, format: LineFormat): string {
  const prefix = paint(format.colour, nameColour(name), `${name.padEnd(format.nameWidth)} |`);
  const trimmed = line.trimEnd();
  if (format.json || !trimmed.startsWith('{')) return `${prefix} ${trimmed}`;
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${prefix} ${trimmed}`;
    entry = parsed as Record<string, unknown>;
  } catch {
    return `${prefix} ${trimmed}`;
  }
  const level = levelName(entry.level);
  const summary = httpSummary(entry);
  const head = [
    timeOf(entry.time),
    paint(format.colour, LEVEL_COLOURS[level] ?? 0, level.padEnd(5)),
    summary ?? stringOf(entry.msg ?? entry.message),
  ]
    .filter((part) => part !== '')
    .join(' ');
  const fields = Object.entries(entry)
    .filter(([key, value]) => !OMITTED.has(key) && !(summary !== null && key === 'statusCode') && value !== undefined)
    .map(
      ([key, value]) =>
        `${paint(format.colour, 90, `${key}=`)}${typeof value === 'string' ? quoteIfNeeded(value) : JSON.stringify(value)}`,
    );
  const lines = [`${prefix} ${head}${fields.length ? ` ${fields.join(' ')}` : ''}`];
  const error = (entry.err ?? entry.error) as { message?: unknown; stack?: unknown } | string | undefined;
  if (error !== undefined) {
    const text =
      typeof error === 'string'
        ? error
        : typeof error.stack === 'string'
          ? error.stack
          : stringOf(error.message) || JSON.stringify(error);
    for (const errorLine of text.split('\n'))
      lines.push(`${prefix}     ${paint(format.colour, 31, errorLine)}`);
  }
  return lines.join('\n');
}

function levelName(level: unknown): string {
  if (typeof level === 'number') return PINO_LEVELS[level] ?? String(level);
  if (typeof level === 'string') return level.toUpperCase();
  return 'INFO';
}

function timeOf(time: unknown): string {
  const date = typeof time === 'number' || typeof time === 'string' ? new Date(time) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The access log's request line: `GET /api/v1/students 201 12ms`. */
function httpSummary(entry: Record<string, unknown>): string | null {
  const req = entry.req as { method?: unknown; url?: unknown } | undefined;
  if (!req || typeof req.method !== 'string' || typeof req.url !== 'string') return null;
  const status = typeof entry.statusCode === 'number' ? ` ${entry.statusCode}` : '';
  const took = typeof entry.responseTime === 'number' ? ` ${Math.round(entry.responseTime)}ms` : '';
  const message = stringOf(entry.msg);
  return `${req.method} ${req.url}${status}${took}${message && !/^request (completed|errored)$/.test(message) ? ` ${message}` : ''}`;
}

function stringOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function quoteIfNeeded(value: string): string {
  return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}
