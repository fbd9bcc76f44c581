import { redisConnectionOptions } from './platform.module';

describe('redisConnectionOptions', () => {
  it('reads host, port, database and credentials from the URL', () => {
    expect(redisConnectionOptions('redis://:p%40ss@cache:6380/6')).toEqual({ host: 'cache', port: 6380, db: 6, password: 'p@ss' });
    expect(redisConnectionOptions('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
  });

  it('turns TLS on for rediss://, so the password never crosses the network in clear', () => {
    expect(redisConnectionOptions('rediss://:s3cret@cache.example.ml:6380/2')).toEqual({
      host: 'cache.example.ml',
      port: 6380,
      db: 2,
      password: 's3cret',
      tls: { servername: 'cache.example.ml' },
    });
  });
});
