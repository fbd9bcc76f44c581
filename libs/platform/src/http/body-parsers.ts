import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';

/**
 * The request bodies every service reads, each kept raw as well (`request.rawBody`, for signed
 * callbacks):
 * - JSON, through Fastify's own parser (which refuses `__proto__` and `constructor` keys); an empty
 *   body is `{}`, so a POST with `Content-Type: application/json` and nothing in it is not an error;
 * - HTML forms (the OAuth token request);
 * - anything else is left unread for the handler: CSV uploads stream the request itself
 *   (`request.raw`), and a JSON route given another type meets its body validation.
 * Size over the limit: 413; unparseable JSON: 400 (both through the exception filters).
 */
export function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0) done(null, {});
    // Fastify's default parser is synchronous: it answers through `done`, never a promise.
    else void parseJson(request, body.toString('utf8'), done);
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) => {
    done(null, parseQueryString(body.toString('utf8')));
  });
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
