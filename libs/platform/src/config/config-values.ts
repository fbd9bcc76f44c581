import { isIP } from 'node:net';

/**
 * Checks of single configuration values, pure so they are tested without an environment. Each
 * returns what is wrong, worded to follow the variable's name, or null.
 */

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/scholarpay';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i;

/**
 * An IP address or a host name (letters, digits, hyphens and, as container names have them,
 * underscores). A dotted name whose last label is a number is read as an IPv4 address, as URL
 * parsers and resolvers do: 999.1.1.1 is not a host name but a bad address.
 */
export function isHostAddress(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const labels = value.replace(/\.$/, '').split('.');
  if (value.length > 253 || /^\d+$/.test(labels[labels.length - 1])) return false;
  return labels.every((label) => LABEL.test(label));
}

/** `%2F` decoded; a malformed escape left as written (the check that follows then refuses it). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function portProblem(port: string): string | null {
  if (port === '') return null;
  const number = Number(port);
  return /^\d+$/.test(port) && number >= 1 && number <= 65535
    ? null
    : `has port ${port}, which is not 1–65535`;
}

/** Host and port as written in a URL, before URL parsing turns an out-of-range port into "Invalid URL". */
function authorityOf(url: string): { host: string; port: string } | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(url);
  return match ? { host: match[1], port: match[2] ?? '' } : null;
}

function hostProblem(host: string): string | null {
  if (host === '') return 'names no host';
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isHostAddress(decoded(bare))
    ? null
    : `has host ${host}, which is neither an IP address nor a host name`;
}

/** The URL, or what is wrong with its port or its form (the port is checked first: URL's own message for it is vague). */
function readUrl(url: string, example: string): URL | string {
  const authority = authorityOf(url);
  const portIssue = authority && portProblem(authority.port);
  if (portIssue) return portIssue;
  try {
    return new URL(url);
  } catch {
    return `is not a valid URL, ${example}`;
  }
}

/** A PostgreSQL connection URL naming a host (or a socket directory), a valid port and a database. */
export function postgresUrlProblem(url: string): string | null {
  const example = 'e.g. postgres://postgres@127.0.0.1:5432/scholarpay';
  if (!/^postgres(ql)?:\/\//i.test(url)) return `must be a postgres:// URL, ${example}`;
  const read = readUrl(url, example);
  if (typeof read === 'string') return read;
  const parsed = read;
  const socketDirectory = decoded(parsed.hostname).startsWith('/') || parsed.searchParams.has('host');
  const hostIssue = socketDirectory ? null : hostProblem(parsed.hostname);
  if (hostIssue) return `${hostIssue}, ${example}`;
  if (!decoded(parsed.pathname.replace(/^\//, ''))) return `names no database, ${example}`;
  return null;
}

/** A Redis URL naming a host, a valid port and, if any, a database number. */
export function redisUrlProblem(url: string): string | null {
  const example = 'e.g. redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//i.test(url)) return `must be a redis:// or rediss:// URL, ${example}`;
  const read = readUrl(url, example);
  if (typeof read === 'string') return read;
  const parsed = read;
  const hostIssue = hostProblem(parsed.hostname);
  if (hostIssue) return `${hostIssue}, ${example}`;
  if (!/^\/?(\d+)?$/.test(parsed.pathname))
    return `names database ${parsed.pathname.slice(1)}, which is not a number, ${example}/0`;
  return null;
}

/** A comma-separated list of host:port (kafkajs reads neither IPv6 literals nor a missing port). */
export function brokerListProblem(list: string): string | null {
  const example = 'e.g. 127.0.0.1:9092,kafka-2:9092';
  const brokers = list.split(',').map((entry) => entry.trim());
  for (const broker of brokers) {
    const match = /^([^:\s]+):([^:\s]*)$/.exec(broker);
    if (!match) return `must be a comma-separated list of host:port, ${example} ("${broker}" is not)`;
    if (!isHostAddress(match[1]))
      return `names host ${match[1]}, which is neither an IP address nor a host name`;
    const portIssue = portProblem(match[2]) ?? (match[2] === '' ? 'has a broker without a port' : null);
    if (portIssue) return `${portIssue} (${broker})`;
  }
  return null;
}

/** The example values of infra/compose.env.example all contain this. */
const PLACEHOLDER = /change-me/i;
const MIN_DISTINCT_CHARACTERS = 10;
const GENERATE = 'generate one, e.g. openssl rand -base64 48';

/**
 * Why a secret is unfit for production, or null: a published example value, blanks, or too few
 * distinct characters (aaaa…, 1212…) are guessed before any length helps.
 */
export function secretWeakness(value: string): string | null {
  if (value.trim() === '') return `is blank: ${GENERATE}`;
  if (PLACEHOLDER.test(value)) return `is the published example value ("change-me…"): ${GENERATE}`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return `has fewer than ${MIN_DISTINCT_CHARACTERS} different characters: ${GENERATE}`;
  }
  return null;
}

/** The password of a connection URL if it is the published example one, for production. */
export function urlPasswordWeakness(url: string): string | null {
  try {
    return PLACEHOLDER.test(decoded(new URL(url).password))
      ? 'has the published example password ("change-me…"): set the real one'
      : null;
  } catch {
    return null;
  }
}
