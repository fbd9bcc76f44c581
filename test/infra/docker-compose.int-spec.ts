/**
 * No Docker engine runs here, so this reads docker-compose.yml the way `docker compose` would
 * (YAML merge keys, then ${VAR} interpolation with infra/compose.env.example) and checks that each
 * service would boot: its environment passes that service's own config schema, its URLs point at
 * services that exist, Kafka is KRaft, and everything has a healthcheck.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigValidationError, loadConfig } from '@scholarpay/platform';
import {
  ComposeFile,
  containerPortsOf,
  dependenciesOf,
  environmentOf,
  interpolate,
  InterpolationError,
  loadComposeFile,
  parseEnvFile,
} from './compose-file';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE = path.join(ROOT, 'docker-compose.yml');
const EXAMPLE_ENV = parseEnvFile(readFileSync(path.join(ROOT, 'infra/compose.env.example'), 'utf8'));
/** The example with every value replaced, as its first line asks (production refuses the examples). */
const DEPLOYED_ENV = Object.fromEntries(
  Object.entries(EXAMPLE_ENV).map(([name, value]) => [
    name,
    value?.startsWith('change-me')
      ? `${name.toLowerCase().replace(/_/g, '')}Xq8Zr1vN0Kd2LmT5wYb7HsPc3Ef9GjUa`
      : value,
  ]),
);

const APPS = [
  { app: 'enrolment', port: 3001, usesKafka: true },
  { app: 'eligibility', port: 3002, usesKafka: true },
  { app: 'payments', port: 3003, usesKafka: true },
  { app: 'exams', port: 3004, usesKafka: true },
  // The mock provider is an outside party reached over HTTP only (DESIGN.md).
  { app: 'mobile-money', port: 3005, usesKafka: false },
];
/** Read by the image's entrypoint (infra/docker/entrypoint.sh), not by the service's config. */
const ENTRYPOINT_VARIABLES = new Set(['SERVICE']);

const camel = (app: string) => app.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** `<camelApp>ConfigSchema` exported by apps/<app>/src/<app>.app.ts. */
function configSchemaOf(app: string): z.ZodObject {
  const file = path.join(ROOT, 'apps', app, 'src', `${app}.app.ts`);
  if (!existsSync(file)) throw new Error(`apps/${app}/src/${app}.app.ts does not exist`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  const name = `${camel(app)}ConfigSchema`;
  const schema = exported[name];
  if (!(schema instanceof z.ZodType))
    throw new Error(`apps/${app}/src/${app}.app.ts does not export ${name}`);
  return schema as z.ZodObject;
}

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

describe('docker-compose.yml', () => {
  let compose: ComposeFile;

  beforeAll(() => {
    compose = loadComposeFile(COMPOSE, EXAMPLE_ENV);
  });

  it('parses, and every variable without a safe default is listed in infra/compose.env.example', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['kafka', 'postgres', 'redis', ...APPS.map((entry) => entry.app)].sort(),
    );
  });

  it('refuses to interpolate without the secrets instead of falling back to a baked-in default', () => {
    for (const secret of [
      'JWT_SECRET',
      'POSTGRES_PASSWORD',
      'MOBILE_MONEY_CLIENT_SECRET',
      'MOBILE_MONEY_CALLBACK_SECRET',
    ]) {
      const withoutSecret = { ...EXAMPLE_ENV, [secret]: undefined };
      expect(() => loadComposeFile(COMPOSE, withoutSecret)).toThrow(new RegExp(`^${secret}: `));
    }
  });

  it('runs Kafka in KRaft mode: one node as broker and controller, no ZooKeeper anywhere', () => {
    const kafka = compose.services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:/);
    const env = environmentOf(kafka);
    expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toMatch(new RegExp(`^${env.KAFKA_NODE_ID}@kafka:\\d+$`));
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(env.CLUSTER_ID, 'base64url')).toHaveLength(16);
    const text = readFileSync(COMPOSE, 'utf8');
    expect(text).not.toMatch(/^\s*[^#\n]*zookeeper/im);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(`${name} ${service.image ?? ''}`).not.toMatch(/zookeeper/i);
      expect(Object.keys(environmentOf(service)).filter((key) => /ZOOKEEPER/i.test(key))).toEqual([]);
    }
  });

  it('advertises a Kafka listener the other containers can reach (kafka:9092), separate from the host one', () => {
    const env = environmentOf(compose.services.kafka);
    const advertised = Object.fromEntries(
      env.KAFKA_ADVERTISED_LISTENERS.split(',').map((listener) => {
        const [name, address] = listener.split('://');
        return [name, address];
      }),
    );
    expect(advertised[env.KAFKA_INTER_BROKER_LISTENER_NAME]).toBe('kafka:9092');
    const protocols = Object.fromEntries(
      env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map((pair) => pair.split(':')),
    );
    for (const name of [...Object.keys(advertised), env.KAFKA_CONTROLLER_LISTENER_NAMES]) {
      expect(protocols[name]).toBeDefined();
      expect(env.KAFKA_LISTENERS).toContain(`${name}://`);
    }
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const test = service.healthcheck?.test;
      expect({
        name,
        healthcheck: service.healthcheck?.disable !== true && test !== undefined && test.length > 0,
      }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  describe.each(APPS)('$app', ({ app, port, usesKafka }) => {
    // While an app is still being written its folder may not exist: nothing to check yet. Once
    // the folder exists, a missing app file or schema export is a failure.
    const present = existsSync(path.join(ROOT, 'apps', app));
    const check = present ? it : it.skip;

    check(`passes ${camel(app)}ConfigSchema (loadConfig), in production mode`, () => {
      const env = environmentOf(loadComposeFile(COMPOSE, DEPLOYED_ENV).services[app]);
      let config: Record<string, unknown> | undefined;
      try {
        config = loadConfig(app, configSchemaOf(app), env) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof ConfigValidationError) {
          throw new Error(`${app} would not boot: ${error.message}`, { cause: error });
        }
        throw error;
      }
      expect(config.NODE_ENV).toBe('production');
      expect(config.PORT).toBe(port);
      // Inside a container the default 127.0.0.1 would be unreachable from other containers.
      expect(config.HOST).toBe('0.0.0.0');
      expect(typeof config.JWT_SECRET === 'string' || typeof config.JWT_JWKS_URL === 'string').toBe(true);
    });

    check("refuses to boot in production with the example file's values left in", () => {
      const env = environmentOf(compose.services[app]);
      const placeholders = Object.entries(env)
        .filter(([, value]) => /change-me/.test(value))
        .map(([name]) => name);
      expect(placeholders).toContain('DATABASE_URL');
      try {
        loadConfig(app, configSchemaOf(app), env);
        throw new Error(`${app} booted with the example values`);
      } catch (error) {
        if (!(error instanceof ConfigValidationError)) throw error;
        expect(error.problems.map((problem) => problem.variable).sort()).toEqual(placeholders.sort());
      }
    });

    check(
      'sets no variable the service does not read (a misspelt name would silently fall back to a default)',
      () => {
        const known = new Set(Object.keys(configSchemaOf(app).shape));
        const env = environmentOf(compose.services[app]);
        expect(Object.keys(env).filter((key) => !known.has(key) && !ENTRYPOINT_VARIABLES.has(key))).toEqual(
          [],
        );
      },
    );

    it('runs the shared image with SERVICE naming it and publishes its port', () => {
      const service = compose.services[app];
      expect(service.build).toEqual({ context: '.', dockerfile: 'infra/Dockerfile' });
      expect(service.image).toBe(compose.services.enrolment.image);
      const env = environmentOf(service);
      expect(env.SERVICE).toBe(app);
      expect(Number(env.PORT)).toBe(port);
      expect(containerPortsOf(service)).toContain(port);
      expect(readFileSync(path.join(ROOT, 'infra/docker/entrypoint.sh'), 'utf8')).toContain(app);
    });

    it(usesKafka ? 'points KAFKA_BROKERS at the compose Kafka service' : 'does not talk to Kafka', () => {
      const env = environmentOf(compose.services[app]);
      if (!usesKafka) {
        expect(env.KAFKA_BROKERS).toBeUndefined();
        return;
      }
      const brokers = env.KAFKA_BROKERS.split(',').map(hostAndPort);
      expect(brokers).toEqual([{ host: 'kafka', port: 9092 }]);
      expect(dependenciesOf(compose.services[app]).kafka).toBe('service_healthy');
    });

    it('reaches Postgres, Redis and other services by their compose names, and waits for them to be healthy', () => {
      const service = compose.services[app];
      const env = environmentOf(service);
      const dependencies = dependenciesOf(service);
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(env.DATABASE_URL).username).toBe(environmentOf(compose.services.postgres).POSTGRES_USER);
      expect(new URL(env.DATABASE_URL).password).toBe(EXAMPLE_ENV.POSTGRES_PASSWORD);
      expect(new URL(env.DATABASE_URL).pathname).toBe(
        `/${environmentOf(compose.services.postgres).POSTGRES_DB}`,
      );
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      expect(dependencies.postgres).toBe('service_healthy');
      expect(dependencies.redis).toBe('service_healthy');
      // Any http(s) URL in the environment names a compose service at the port it listens on.
      for (const [key, value] of Object.entries(env).filter(([, value]) => /^https?:\/\//.test(value))) {
        const url = new URL(value);
        const target = compose.services[url.hostname];
        expect({ key, host: url.hostname, exists: target !== undefined }).toEqual({
          key,
          host: url.hostname,
          exists: true,
        });
        expect({ key, port: Number(url.port) }).toEqual({ key, port: Number(environmentOf(target).PORT) });
      }
    });
  });

  it('shares the provider credentials between payments and the mock provider', () => {
    const payments = environmentOf(compose.services.payments);
    const provider = environmentOf(compose.services['mobile-money']);
    for (const key of [
      'MOBILE_MONEY_CLIENT_ID',
      'MOBILE_MONEY_CLIENT_SECRET',
      'MOBILE_MONEY_CALLBACK_SECRET',
    ]) {
      expect({ key, same: payments[key] !== undefined && payments[key] === provider[key] }).toEqual({
        key,
        same: true,
      });
    }
    // Every service verifies tokens with the same secret.
    const secrets = new Set(APPS.map(({ app }) => environmentOf(compose.services[app]).JWT_SECRET));
    expect([...secrets]).toEqual([EXAMPLE_ENV.JWT_SECRET]);
  });
});

describe('compose interpolation (as docker compose does it)', () => {
  const env = { SET: 'value', EMPTY: '' };

  it.each([
    ['${SET}', 'value'],
    ['$SET and $$SET', 'value and $SET'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET}', ''],
  ])('%s → %s', (input, expected) => {
    expect(interpolate(input, env)).toBe(expected);
  });

  it('fails on a required variable that is missing, with its message', () => {
    expect(() => interpolate('${UNSET:?set it in .env}', env)).toThrow(
      new InterpolationError('UNSET: set it in .env'),
    );
    expect(() => interpolate('${EMPTY:?needed}', env)).toThrow('EMPTY: needed');
    expect(interpolate('${EMPTY?needed}', env)).toBe('');
  });
});
