import { z } from 'zod';
import {
  brokerListProblem,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  isHostAddress,
  postgresUrlProblem,
  redisUrlProblem,
  secretWeakness,
  urlPasswordWeakness,
} from './config-values';

/**
 * Variables every service reads. Each service extends this schema with its own and calls
 * `loadConfig` once at boot: a missing or malformed variable stops the service with a message
 * naming it, before anything connects anywhere.
 */
export const baseServiceConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().superRefine(refuse(postgresUrlProblem)).default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().superRefine(refuse(redisUrlProblem)).default(DEFAULT_REDIS_URL),
  KAFKA_BROKERS: z.string().superRefine(refuse(brokerListProblem)).default('127.0.0.1:9092'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  HOST: z
    .string()
    .refine(isHostAddress, 'must be an IP address of this machine or a host name, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  MIGRATE_ON_BOOT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Days a published event stays in the outbox (events carry personal data; Kafka keeps its own copy). */
  OUTBOX_RETENTION_DAYS: intFromEnv(7, { min: 1, max: 3650 }),
};

/**
 * A service's config schema: the variables every service reads plus its own. Tokens must be
 * verifiable (a secret or a JWKS URL) in every mode: `npm start` generates a development secret.
 */
export function defineServiceConfig<TShape extends z.ZodRawShape>(shape: TShape) {
  return z
    .object({ ...baseServiceConfigShape, ...shape })
    .superRefine((config, context) => {
      const verification = config as { JWT_SECRET?: string; JWT_JWKS_URL?: string; JWT_ISSUER?: string; JWT_AUDIENCE?: string };
      if (!verification.JWT_SECRET && !verification.JWT_JWKS_URL) {
        context.addIssue({
          code: 'custom',
          path: ['JWT_SECRET'],
          message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256): no service runs without a way to verify tokens',
        });
      }
      // An identity provider signs tokens for every application it serves: without an issuer and an
      // audience to check, a token issued for any of them would be accepted here.
      for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
        if (verification.JWT_JWKS_URL && !verification[name]) {
          context.addIssue({ code: 'custom', path: [name], message: 'is required with JWT_JWKS_URL, so that only tokens issued for ScholarPay are accepted' });
        }
      }
      if ((config as { NODE_ENV: string }).NODE_ENV === 'production') refuseWeakProductionValues(config, context);
    });
}

/**
 * In production, whoever knows a secret can forge tokens or callbacks: every variable named
 * *_SECRET (JWT_SECRET, the provider's client and callback secrets) must not be an example value
 * from infra/compose.env.example, blank or nearly uniform, and nor may a connection URL's password
 * be an example one. Keys fetched over plain http could be swapped on the way.
 */
function refuseWeakProductionValues(config: Record<string, unknown>, context: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'string') continue;
    const weakness = name.endsWith('_SECRET')
      ? secretWeakness(value)
      : name === 'DATABASE_URL' || name === 'REDIS_URL'
        ? urlPasswordWeakness(value)
        : null;
    if (weakness) context.addIssue({ code: 'custom', path: [name], message: `${weakness} (NODE_ENV=production)` });
  }
  const jwksUrl = config.JWT_JWKS_URL;
  if (typeof jwksUrl === 'string' && !jwksUrl.toLowerCase().startsWith('https:')) {
    context.addIssue({
      code: 'custom',
      path: ['JWT_JWKS_URL'],
      message: 'must be an https: URL (NODE_ENV=production): keys fetched over plain http could be replaced on the way',
    });
  }
}

/** A zod refinement from one of the value checks of config-values.ts. */
function refuse(problemOf: (value: string) => string | null) {
  return (value: string, context: z.RefinementCtx) => {
    const problem = problemOf(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  };
}

export const baseServiceConfigSchema = defineServiceConfig({});

export type BaseServiceConfig = z.infer<typeof baseServiceConfigSchema>;

export class ConfigValidationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: { variable: string; problem: string }[],
  ) {
    super(
      `${service}: invalid configuration:\n` +
        problems.map((entry) => `  - ${entry.variable}: ${entry.problem}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/** Parses the environment with the service's schema into one typed, frozen object. */
export function loadConfig<TSchema extends z.ZodType>(
  service: string,
  schema: TSchema,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<TSchema>> {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(blanksRemoved);
  if (!result.success) {
    throw new ConfigValidationError(
      service,
      result.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(environment)', problem: issue.message })),
    );
  }
  return Object.freeze(result.data);
}

/** Integers from the environment (ports, limits, timeouts). */
export function intFromEnv(defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z.coerce.number().int('must be a whole number').min(min).max(max).default(defaultValue);
}

export const booleanFromEnv = (defaultValue: boolean) =>
  z
    .enum(['true', 'false'])
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true');
