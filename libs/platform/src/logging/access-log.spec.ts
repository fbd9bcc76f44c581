import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { accessLogWatcher, isProbe } from './access-log';
import { buildLoggerOptions } from './logger';

function setup(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  // Built as nestjs-pino builds the services' logger, with pino-http's request and response serializers.
  const { logger } = pinoHttp(buildLoggerOptions({ service: 'test', level }), stream);
  const watch = accessLogWatcher(() => logger, isProbe);
  const serve = (url: string, method = 'GET') => {
    const req = { url, method, correlationId: 'corr-1' } as unknown as IncomingMessage;
    const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false });
    watch(req, res as unknown as ServerResponse);
    const end = (statusCode: number, finished = true) => {
      Object.assign(res, { statusCode, writableFinished: finished });
      res.emit('close');
    };
    return end;
  };
  return { lines, serve };
}

describe('accessLogWatcher', () => {
  it('logs one line per finished request, with the masked URL, the status and the time taken', () => {
    const { lines, serve } = setup();
    serve('/accountholders/+22376123456/active')(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'corr-1', method: 'GET' },
      statusCode: 200,
    });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines[0])).not.toContain('22376123456');
  });

  it('logs 5xx answers as errors and requests the client abandoned as warnings', () => {
    const { lines, serve } = setup();
    serve('/cashins', 'POST')(503);
    serve('/cashins', 'POST')(200, false);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'request errored'],
      [40, 'request aborted'],
    ]);
  });

  it('skips health probes and metric scrapes, and what the level leaves out', () => {
    const quiet = setup('warn');
    quiet.serve('/cashins')(202);
    quiet.serve('/cashins')(500);
    expect(quiet.lines.map((line) => line.msg)).toEqual(['request errored']);
    const probes = setup();
    probes.serve('/health/ready')(200);
    probes.serve('/metrics')(200);
    expect(probes.lines).toHaveLength(0);
  });
});
