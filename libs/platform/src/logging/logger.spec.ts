import { Writable } from 'node:stream';
import pino from 'pino';
import { buildLoggerOptions } from './logger';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, lines };
}

describe('service logger', () => {
  it('never writes phone numbers, national ids or tokens', () => {
    const { stream, lines } = capture();
    const logger = pino(buildLoggerOptions({ service: 'test', level: 'info' }), stream);
    const dbError = Object.assign(new Error('duplicate key for +22376123456'), {
      parameters: ['+22376123456', 'ML-0001'],
      driverError: { detail: 'Key (phone)=(+22376123456) already exists' },
      detail: 'Failing row contains (42, +22376123456, ML-0001).',
    });
    logger.error({ err: dbError }, 'insert failed');
    logger.info(
      { student: { phone: '+22376123456', nationalId: 'ML-0001' }, headers: { authorization: 'Bearer abc' } },
      'student',
    );
    logger.info('paying 76 12 34 56 with token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig');
    const output = lines.join('');
    expect(output).not.toMatch(/22376123456|76 12 34 56|ML-0001|eyJhbGci|Bearer abc/);
    expect(lines).toHaveLength(3);
  });

  it('redacts the top-level bindings of child loggers and fields at any depth', () => {
    const { stream, lines } = capture();
    const logger = pino(buildLoggerOptions({ service: 'test', level: 'info' }), stream);
    logger
      .child({ msisdn: '+22376123456' })
      .info({ batch: { lines: [{ student: { contact: { phone: '+22376123456' } } }] } }, 'batch');
    const output = lines.join('');
    expect(output).not.toMatch(/22376123456/);
    expect(JSON.parse(lines[0])).toMatchObject({
      msisdn: '[REDACTED]',
      batch: { lines: [{ student: { contact: { phone: '[REDACTED]' } } }] },
    });
  });
});
