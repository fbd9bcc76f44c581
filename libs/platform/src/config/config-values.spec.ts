import {
  brokerListProblem,
  isHostAddress,
  postgresUrlProblem,
  redisUrlProblem,
  secretWeakness,
  urlPasswordWeakness,
} from './config-values';

describe('isHostAddress', () => {
  it.each([
    '127.0.0.1',
    '0.0.0.0',
    '::',
    '::1',
    'localhost',
    'kafka',
    'db-1.internal.example.ml',
    'my_service',
    'host.',
  ])('takes %s', (host) => expect(isHostAddress(host)).toBe(true));

  it.each([
    '999.1.1.1',
    '1.2.3',
    '10.0.0.256',
    '',
    ' ',
    'exa mple',
    '-db',
    'db-',
    'a..b',
    'http://x',
    `${'a'.repeat(64)}.ml`,
  ])('refuses %j', (host) => expect(isHostAddress(host)).toBe(false));
});

describe('postgresUrlProblem', () => {
  it.each([
    'postgres://postgres@127.0.0.1:5432/scholarpay',
    'postgresql://scholarpay:s3cret@postgres/scholarpay?sslmode=require',
    'postgres://u@[::1]:5432/db',
    'postgres://%2Fvar%2Frun%2Fpostgresql/scholarpay',
    'postgres:///scholarpay?host=/var/run/postgresql',
  ])('takes %s', (url) => expect(postgresUrlProblem(url)).toBeNull());

  it.each([
    ['postgres://', /names no host/],
    ['postgres://127.0.0.1:5432', /names no database/],
    ['postgres://127.0.0.1:5432/', /names no database/],
    ['postgres://127.0.0.1:99999/x', /port 99999, which is not 1–65535/],
    ['postgres://127.0.0.1:0/x', /port 0, which is not 1–65535/],
    ['postgres://127.0.0.1:54a/x', /port 54a/],
    ['postgres://999.1.1.1/x', /host 999.1.1.1/],
    ['mysql://127.0.0.1/x', /must be a postgres:\/\/ URL/],
  ])('refuses %s', (url, problem) => expect(postgresUrlProblem(url)).toMatch(problem));
});

describe('redisUrlProblem', () => {
  it.each([
    'redis://127.0.0.1:6379',
    'redis://127.0.0.1:6379/14',
    'rediss://:pw@cache.example.ml',
    'redis://redis',
  ])('takes %s', (url) => expect(redisUrlProblem(url)).toBeNull());

  it.each([
    ['redis://', /names no host/],
    ['redis://127.0.0.1:70000', /port 70000/],
    ['redis://127.0.0.1:6379/cache', /database cache, which is not a number/],
    ['http://127.0.0.1:6379', /must be a redis:\/\//],
  ])('refuses %s', (url, problem) => expect(redisUrlProblem(url)).toMatch(problem));
});

describe('brokerListProblem', () => {
  it.each(['127.0.0.1:9092', 'kafka:9092', 'kafka-1:9092,kafka-2:9093', ' kafka-1:9092 , kafka-2:9092'])(
    'takes %s',
    (list) => expect(brokerListProblem(list)).toBeNull(),
  );

  it.each([
    ['127.0.0.1:99999', /port 99999, which is not 1–65535 \(127.0.0.1:99999\)/],
    ['kafka:0', /port 0/],
    ['kafka', /host:port/],
    ['kafka:', /without a port/],
    ['kafka:9092,', /host:port/],
    ['999.1.1.1:9092', /host 999.1.1.1/],
    ['[::1]:9092', /host:port/],
  ])('refuses %s', (list, problem) => expect(brokerListProblem(list)).toMatch(problem));
});

describe('secretWeakness', () => {
  it('takes a generated secret', () => {
    expect(secretWeakness('q8Zr1vN0xKd2LmT5wYb7HsPc3Ef9GjUa')).toBeNull();
  });

  it.each([
    [
      'the JWT secret of infra/compose.env.example',
      'change-me-a-jwt-secret-of-at-least-32-characters',
      /published example value/,
    ],
    ['a provider secret of the example', 'change-me-provider-client-secret', /published example value/],
    ['the example in capitals', 'CHANGE-ME-9f8e7d6c5b4a39281706', /published example value/],
    ['40 spaces', ' '.repeat(40), /is blank/],
    ['tabs and newlines', '\t\n'.repeat(20), /is blank/],
    ['one character repeated', 'x'.repeat(48), /fewer than 10 different characters/],
    ['a short cycle', '0123456789'.slice(0, 9).repeat(5), /fewer than 10 different characters/],
  ])('refuses %s', (_case, secret, problem) => expect(secretWeakness(secret)).toMatch(problem));
});

describe('urlPasswordWeakness', () => {
  it('refuses the example Postgres password inside a URL', () => {
    expect(
      urlPasswordWeakness('postgres://scholarpay:change-me-postgres-password@postgres:5432/scholarpay'),
    ).toMatch(/published example password/);
    expect(urlPasswordWeakness('postgres://scholarpay:Tq93nZk2@postgres:5432/scholarpay')).toBeNull();
    expect(urlPasswordWeakness('postgres://postgres@127.0.0.1:5432/scholarpay')).toBeNull();
  });
});
