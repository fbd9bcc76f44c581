import { Body, Controller, Get, HttpCode, Module, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { connect } from 'node:net';
import request from 'supertest';
import { Public, RequireRoles } from '@scholarpay/auth';
import { HttpExceptionFilter } from '../errors/http-exception.filter';
import { createValidationPipe } from '../errors/validation';
import { currentCorrelationId } from '../logging/correlation';
import { MetricsService } from '../metrics/metrics.service';
import { createServiceApp, RunningServiceApp } from './create-service-app';

class NoteDto {
  @IsString({ message: 'must be a string' })
  @Length(1, 20, { message: 'must be 1 to 20 characters' })
  text: string;
}

/** Routes that show what every service's HTTP layer does, with no database behind them. */
@Controller('probe')
class ProbeController {
  @Post('notes')
  @HttpCode(201)
  note(@Body() note: NoteDto, @Req() req: RawBodyRequest<FastifyRequest>) {
    return { text: note.text, correlationId: currentCorrelationId(), rawBytes: req.rawBody?.length ?? null };
  }

  @Post('empty')
  @HttpCode(200)
  empty(@Req() req: FastifyRequest) {
    return { body: req.body ?? null };
  }

  @Post('form')
  @HttpCode(200)
  form(@Req() req: FastifyRequest) {
    return { body: req.body };
  }

  /** Reads the body itself, as the CSV uploads do. */
  @Post('csv')
  @HttpCode(200)
  async csv(@Req() req: FastifyRequest) {
    const chunks: Buffer[] = [];
    for await (const chunk of req.raw) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks).length, parsedBody: req.body ?? null };
  }

  @Get('public')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('audited')
  @RequireRoles('auditor', 'finance_approver')
  audited() {
    return { ok: true };
  }

  @Get('things/:id')
  thing(@Param('id') id: string) {
    return { length: id.length, correlationId: currentCorrelationId() };
  }
}

@Module({
  imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' }, forRoutes: [] })],
  controllers: [ProbeController],
  providers: [
    { provide: MetricsService, useFactory: () => new MetricsService('probe') },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
class ProbeModule {}

describe('createServiceApp (Fastify): what every service does with a request', () => {
  let running: RunningServiceApp;
  const api = () => request(running.url);

  beforeAll(async () => {
    running = await createServiceApp(ProbeModule, {
      service: 'probe',
      title: 'probe',
      description: 'probe',
      port: 0,
      bodyLimitBytes: 2048,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await running.app.close();
  });

  it('runs the handler of a POST with a body inside the caller correlation id, echoes it, and keeps the raw body', async () => {
    const body = JSON.stringify({ text: 'bonjour' });
    const response = await api()
      .post('/api/v1/probe/notes')
      .set('content-type', 'application/json')
      .set('x-correlation-id', 'corr-probe-1')
      .send(body);
    expect(response.status).toBe(201);
    expect(response.headers['x-correlation-id']).toBe('corr-probe-1');
    expect(response.body).toEqual({ text: 'bonjour', correlationId: 'corr-probe-1', rawBytes: body.length });
  });

  it('makes a correlation id when the caller sends none, or an unusable one', async () => {
    const response = await api().get('/api/v1/probe/things/a').set('x-correlation-id', 'bad id with spaces');
    expect(response.status).toBe(200);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body.correlationId).toBe(response.headers['x-correlation-id']);
  });

  it('answers invalid fields with 400 naming each field', async () => {
    const response = await api().post('/api/v1/probe/notes').send({ text: '', extra: 1 });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'extra',
      'text',
    ]);
  });

  it('answers malformed JSON with 400 REQUEST.MALFORMED_JSON and a body over the limit with 413', async () => {
    const malformed = await api()
      .post('/api/v1/probe/notes')
      .set('content-type', 'application/json')
      .send('{"text":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');
    const poisoned = await api()
      .post('/api/v1/probe/notes')
      .set('content-type', 'application/json')
      .send('{"text":"a","__proto__":{"admin":true}}');
    expect(poisoned.status).toBe(400);
    expect(poisoned.body.code).toBe('REQUEST.FORBIDDEN_KEY');
    expect(poisoned.body.message).toMatch(/__proto__/);
    expect(malformed.body.message).toMatch(/^the request body is not valid JSON: .+/);
    const tooLarge = await api()
      .post('/api/v1/probe/notes')
      .send({ text: 'x'.repeat(4096) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('REQUEST.PAYLOAD_TOO_LARGE');
  });

  it('says where a body is not JSON without quoting it (it may hold a phone number or a national id)', async () => {
    for (const body of ['{"phone":+22376913799}', 'AUTHZNA1 +22376913799']) {
      const answer = await api().post('/api/v1/probe/notes').set('content-type', 'application/json').send(body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('REQUEST.MALFORMED_JSON');
      expect(answer.body.message).toMatch(/^the request body is not valid JSON: Unexpected token/);
      expect(JSON.stringify(answer.body)).not.toMatch(/769137|AUTHZ|phone/);
    }
  });

  it('refuses JSON nested deeper than any route accepts with 400 naming the body, at any depth', async () => {
    for (const depth of [65, 900]) {
      const deep = await api()
        .post('/api/v1/probe/notes')
        .set('content-type', 'application/json')
        .send(`{"text":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      expect(deep.status).toBe(400);
      expect(deep.body).toMatchObject({ code: 'REQUEST.TOO_DEEP', errors: [{ field: 'body', problem: 'must not nest more than 64 levels deep' }] });
    }
    const deepButAllowed = await api()
      .post('/api/v1/probe/notes')
      .set('content-type', 'application/json')
      .send(`{"text":"a","extra":${'['.repeat(60)}${']'.repeat(60)}}`);
    expect(deepButAllowed.status).toBe(400);
    expect(deepButAllowed.body.code).toBe('REQUEST.VALIDATION_FAILED');
  });

  it('refuses a NUL character in any string of a JSON body with 400 naming where it is', async () => {
    const nul = await api().post('/api/v1/probe/notes').set('content-type', 'application/json').send('{"text":"a\\u0000b"}');
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([{ field: 'text', problem: 'must not contain the NUL character (U+0000)' }]);
    const nested = await api().post('/api/v1/probe/empty').set('content-type', 'application/json').send('{"a":[{"b":"ok"},{"c":"\\u0000"}]}');
    expect(nested.body.errors).toEqual([{ field: 'a[1].c', problem: 'must not contain the NUL character (U+0000)' }]);
  });

  it('reads an empty JSON body as {} and a form body as fields, as Express did', async () => {
    const empty = await api().post('/api/v1/probe/empty').set('content-type', 'application/json');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ body: {} });
    const form = await api()
      .post('/api/v1/probe/form')
      .type('form')
      .send('grant_type=client_credentials&scope=a');
    expect(form.body).toEqual({ body: { grant_type: 'client_credentials', scope: 'a' } });
  });

  it('leaves other media types unread for the handler to stream', async () => {
    const csv = 'student_id,result\n' + 'x,pass\n'.repeat(100);
    const response = await api().post('/api/v1/probe/csv').set('content-type', 'text/csv').send(csv);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ bytes: Buffer.byteLength(csv), parsedBody: null });
  });

  it('routes a trailing slash and long path parameters like Express, and answers unknown routes with 404', async () => {
    expect((await api().get('/api/v1/probe/things/abc/')).body.length).toBe(3);
    expect((await api().get(`/api/v1/probe/things/${'a'.repeat(300)}`)).body.length).toBe(300);
    const missing = await api().get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('REQUEST.NOT_FOUND');
  });

  it('says in the OpenAPI document which routes need a token and which roles they need', async () => {
    const document = (await api().get('/docs/json')).body;
    expect(document.paths['/api/v1/probe/public'].get.security).toEqual([]);
    const audited = document.paths['/api/v1/probe/audited'].get;
    expect(audited['x-roles']).toEqual(['auditor', 'finance_approver']);
    expect(audited.responses['403'].description).toMatch(/auditor, finance_approver/);
    expect(audited.responses['401'].description).toMatch(/AUTH.TOKEN_MISSING/);
    expect(audited.security).toBeUndefined(); // the document's bearer requirement applies
  });

  it('answers a request Node cannot parse (a raw non-ASCII byte in the URL) in the platform error format', async () => {
    const rawRequest = Buffer.concat([
      Buffer.from('GET /api/v1/probe/things/'),
      Buffer.from('é', 'utf8'),
      Buffer.from(' HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n'),
    ]);
    const answer = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(running.url);
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(rawRequest));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(JSON.parse(body)).toEqual({
      statusCode: 400,
      code: 'REQUEST.MALFORMED_HTTP',
      message: expect.stringContaining('percent-encoded'),
    });
    // The percent-encoded form of the same URL is fine.
    expect((await api().get('/api/v1/probe/things/%C3%A9')).body.length).toBe(1);
  });

  it('records request durations under the route pattern, never the raw path', async () => {
    await api().get('/api/v1/probe/things/+22376123456');
    const metrics = await running.app.get(MetricsService).registry.metrics();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{service="probe",method="GET",route="\/api\/v1\/probe\/things\/:id",status="200"\} [1-9]/,
    );
    expect(metrics).toContain('route="unmatched",status="404"');
    expect(metrics).not.toContain('22376123456');
  });
});
