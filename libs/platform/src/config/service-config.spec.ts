import { z } from 'zod';
import { baseServiceConfigSchema, ConfigValidationError, intFromEnv, loadConfig } from './service-config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills defaults and keeps the typed values', () => {
    const config = loadConfig('test', baseServiceConfigSchema, { JWT_SECRET: secret });
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/scholarpay');
    expect(config.MIGRATE_ON_BOOT).toBe(true);
  });

  it('names every bad variable and what is wrong with it', () => {
    const schema = z.object({ PORT: intFromEnv(3000, { min: 1, max: 65535 }) });
    expect(() => loadConfig('svc', schema, { PORT: 'eighty' })).toThrow(ConfigValidationError);
    try {
      loadConfig('svc', baseServiceConfigSchema, { KAFKA_BROKERS: 'nope', JWT_SECRET: secret });
    } catch (error) {
      expect((error as ConfigValidationError).problems).toEqual([
        {
          variable: 'KAFKA_BROKERS',
          problem:
            'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092,kafka-2:9092 ("nope" is not)',
        },
      ]);
    }
  });

  it('refuses to start without a way to verify tokens', () => {
    expect(() => loadConfig('svc', baseServiceConfigSchema, {})).toThrow(/JWT_SECRET: set JWT_SECRET/);
  });

  it("needs an issuer and an audience with an identity provider's keys, so that other applications' tokens are refused", () => {
    const jwks = { JWT_JWKS_URL: 'https://id.example.ml/.well-known/jwks.json' };
    try {
      loadConfig('svc', baseServiceConfigSchema, jwks);
      throw new Error('loaded');
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((problem) => problem.variable)).toEqual([
        'JWT_ISSUER',
        'JWT_AUDIENCE',
      ]);
    }
    expect(
      loadConfig('svc', baseServiceConfigSchema, {
        ...jwks,
        JWT_ISSUER: 'https://id.example.ml',
        JWT_AUDIENCE: 'scholarpay',
      }).JWT_AUDIENCE,
    ).toBe('scholarpay');
  });

  it('names the variable of a malformed address instead of booting (or failing later with a stack trace)', () => {
    for (const [variable, value] of [
      ['KAFKA_BROKERS', '127.0.0.1:99999'],
      ['HOST', '999.1.1.1'],
      ['DATABASE_URL', 'postgres://'],
      ['DATABASE_URL', 'postgres://127.0.0.1:5432'],
      ['REDIS_URL', 'redis://127.0.0.1:0'],
    ]) {
      expect(
        problemsOf({ JWT_SECRET: secret, [variable]: value }).map((problem) => problem.variable),
      ).toEqual([variable]);
    }
  });
});

/** The problems loadConfig reports, [] when it loads. */
function problemsOf(env: Record<string, string>, schema: z.ZodType = baseServiceConfigSchema) {
  try {
    loadConfig('svc', schema, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems;
  }
}
