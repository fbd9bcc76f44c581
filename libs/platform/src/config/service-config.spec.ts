import { z } from 'zod';
import {
  baseServiceConfigSchema,
  ConfigValidationError,
  defineServiceConfig,
  intFromEnv,
  loadConfig,
} from './service-config';

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

describe('loadConfig in production', () => {
  const generated = 'q8Zr1vN0xKd2LmT5wYb7HsPc3Ef9GjUa';
  const production = { NODE_ENV: 'production' };
  /** A service with secrets of its own, as payments and the provider have. */
  const withProviderSecrets = defineServiceConfig({
    MOBILE_MONEY_CLIENT_SECRET: z.string().min(8),
    MOBILE_MONEY_CALLBACK_SECRET: z.string().min(8),
  });

  it('refuses the example JWT secret of infra/compose.env.example, so that nobody can forge tokens', () => {
    expect(
      problemsOf({ ...production, JWT_SECRET: 'change-me-a-jwt-secret-of-at-least-32-characters' }),
    ).toEqual([
      {
        variable: 'JWT_SECRET',
        problem: expect.stringMatching(/published example value.*NODE_ENV=production/),
      },
    ]);
  });

  it('refuses a blank or nearly uniform JWT secret', () => {
    expect(problemsOf({ ...production, JWT_SECRET: ' '.repeat(40) })).toEqual([
      { variable: 'JWT_SECRET', problem: expect.stringMatching(/is blank/) },
    ]);
    expect(problemsOf({ ...production, JWT_SECRET: 'ab'.repeat(20) })).toEqual([
      { variable: 'JWT_SECRET', problem: expect.stringMatching(/fewer than 10 different characters/) },
    ]);
  });

  it("checks every *_SECRET variable of a service's own schema the same way", () => {
    const env = {
      ...production,
      JWT_SECRET: generated,
      MOBILE_MONEY_CLIENT_SECRET: 'change-me-provider-client-secret',
      MOBILE_MONEY_CALLBACK_SECRET: 'change-me-provider-callback-secret',
    };
    expect(problemsOf(env, withProviderSecrets).map((problem) => problem.variable)).toEqual([
      'MOBILE_MONEY_CLIENT_SECRET',
      'MOBILE_MONEY_CALLBACK_SECRET',
    ]);
  });

  it('refuses the example Postgres password inside DATABASE_URL', () => {
    const env = {
      ...production,
      JWT_SECRET: generated,
      DATABASE_URL: 'postgres://scholarpay:change-me-postgres-password@postgres:5432/scholarpay',
    };
    expect(problemsOf(env).map((problem) => problem.variable)).toEqual(['DATABASE_URL']);
  });

  it("wants the identity provider's keys over https", () => {
    const jwks = { JWT_ISSUER: 'https://id.example.ml', JWT_AUDIENCE: 'scholarpay' };
    expect(problemsOf({ ...production, ...jwks, JWT_JWKS_URL: 'http://id.example.ml/jwks.json' })).toEqual([
      { variable: 'JWT_JWKS_URL', problem: expect.stringMatching(/must be an https: URL/) },
    ]);
    expect(problemsOf({ ...production, ...jwks, JWT_JWKS_URL: 'https://id.example.ml/jwks.json' })).toEqual(
      [],
    );
  });

  it('takes generated secrets; development and tests keep their own', () => {
    expect(problemsOf({ ...production, JWT_SECRET: generated })).toEqual([]);
    for (const mode of ['development', 'test']) {
      const env = {
        NODE_ENV: mode,
        JWT_SECRET: 'change-me-a-jwt-secret-of-at-least-32-characters',
        MOBILE_MONEY_CLIENT_SECRET: 'x'.repeat(8),
        MOBILE_MONEY_CALLBACK_SECRET: 'change-me-provider-callback-secret',
        JWT_JWKS_URL: 'http://127.0.0.1:9999/jwks.json',
        JWT_ISSUER: 'dev',
        JWT_AUDIENCE: 'scholarpay',
      };
      expect(problemsOf(env, withProviderSecrets)).toEqual([]);
    }
  });
});
