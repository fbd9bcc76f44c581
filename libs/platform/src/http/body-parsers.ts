import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors/app-error';

/**
 * Deeper than any body a route accepts. Deeper bodies are refused before validation, whose
 * recursion would otherwise overflow the stack (a 500) on a few thousand levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The request bodies every service reads, each kept raw as well (`request.rawBody`, for signed
 * callbacks):
 * - JSON, through `parseJsonBody` (secure-json-parse, as Fastify's own parser, with errors that say
 *   what is wrong); an empty body is `{}`, so a POST with `Content-Type: application/json` and
 *   nothing in it is not an error;
 * - HTML forms (the OAuth token request);
 * - anything else is left unread for the handler: CSV uploads stream the request itself
 *   (`request.raw`), and a JSON route given another type meets its body validation.
 * Size over the limit: 413; a JSON body `parseJsonBody` refuses: 400 (through the exception filters).
 */
export function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit } = fastify.initialConfig;
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (_request, body, done) => {
    const parsed = parseJsonBody(body.toString('utf8'));
    if (parsed instanceof AppError) done(parsed, undefined);
    else done(null, parsed);
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) => {
    done(null, parseQueryString(body.toString('utf8')));
  });
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

/**
 * A JSON body, or the 400 that says what is wrong with it: not JSON (where, as the parser says), a
 * `__proto__` or `constructor.prototype` key (refused, since they could reach an object's
 * prototype), nesting deeper than `MAX_JSON_DEPTH`, or a NUL character in a string. Empty is `{}`.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const reason = jsonSyntaxReason(error);
    return /forbidden prototype property/.test(reason)
      ? AppError.validation('REQUEST.FORBIDDEN_KEY', 'the request body may not contain a "__proto__" or "constructor.prototype" key', [
          { field: 'body', problem: 'must not contain a "__proto__" or "constructor.prototype" key' },
        ])
      : AppError.validation('REQUEST.MALFORMED_JSON', `the request body is not valid JSON: ${reason}`, [
          { field: 'body', problem: 'must be valid JSON' },
        ]);
  }
  const problem = jsonBodyProblem(parsed, MAX_JSON_DEPTH);
  if (problem?.kind === 'too_deep') {
    return AppError.validation('REQUEST.TOO_DEEP', `the request body nests objects or lists more than ${MAX_JSON_DEPTH} levels deep`, [
      { field: 'body', problem: `must not nest more than ${MAX_JSON_DEPTH} levels deep` },
    ]);
  }
  if (problem?.kind === 'nul') {
    // Postgres text cannot hold U+0000: the write would fail as a 500.
    return AppError.validation('REQUEST.VALIDATION_FAILED', `the request is invalid: ${problem.path} must not contain the NUL character (U+0000)`, [
      { field: problem.path, problem: 'must not contain the NUL character (U+0000)' },
    ]);
  }
  return parsed;
}

/**
 * The parser's reason a body is not JSON, without the excerpt of the body V8 quotes in some of them
 * (`Unexpected token '+', "{"phone":+223769137"... is not valid JSON`): a body may hold a phone
 * number or a national id, and error messages never repeat those.
 */
export function jsonSyntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

/** What makes a parsed JSON body unusable: nesting deeper than `maxDepth`, or a string holding U+0000, with its JSON path. */
export function jsonBodyProblem(value: unknown, maxDepth: number): { kind: 'too_deep' } | { kind: 'nul'; path: string } | null {
  // Iterative, so that any depth is safe to check.
  const pending: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (pending.length > 0) {
    const { value: current, depth, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { kind: 'nul', path: path || '(body)' };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > maxDepth) return { kind: 'too_deep' };
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) return { kind: 'nul', path: path || '(body)' };
      pending.push({ value: child, depth: depth + 1, path: Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key });
    }
  }
  return null;
}
