import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard, TOKEN_VERIFIER, TokenVerifier } from '@scholarpay/auth';
import { buildDataSourceOptions, ServiceDatabaseOptions } from '@scholarpay/database';
import Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from './config/service-config';
import { RedactingTypeOrmLogger } from './database/redacting-typeorm.logger';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { createValidationPipe } from './errors/validation';
import { HealthCheckRegistry } from './health/health-check.registry';
import { HealthController } from './health/health.controller';
import { buildLoggerOptions } from './logging/logger';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { createSharedRedis } from './redis/shared-redis';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** A shared ioredis connection for commands (health, rate limits); BullMQ makes its own from `redisConnectionOptions`. */
export const REDIS = Symbol('REDIS');

export interface PlatformOptions {
  service: string;
  config: BaseServiceConfig;
  database: Omit<ServiceDatabaseOptions, 'url'>;
}

@Injectable()
class DependencyHealthChecks implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: HealthCheckRegistry,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit(): void {
    this.registry.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    this.registry.register('redis', async () => {
      const answer = await this.redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

/**
 * What every service has: validated config, JSON logs with correlation ids and redaction, its own
 * database schema, Redis, bearer-token auth, one error filter, strict request validation,
 * /health and /metrics.
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config, service } = options;
    return {
      module: PlatformModule,
      global: true,
      imports: [
        // nestjs-pino only for its root logger behind Nest's Logger: no route gets pino-http's
        // per-request middleware (requests are logged by accessLogMiddleware, see createServiceApp).
        LoggerModule.forRoot({
          pinoHttp: buildLoggerOptions({ service, level: config.LOG_LEVEL }),
          forRoutes: [],
        }),
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions({
            ...options.database,
            url: config.DATABASE_URL,
            applicationName: service,
          }),
          logger: new RedactingTypeOrmLogger(),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
        { provide: MetricsService, useFactory: () => new MetricsService(service) },
        HealthCheckRegistry,
        {
          provide: TOKEN_VERIFIER,
          useFactory: () =>
            new TokenVerifier({
              secret: config.JWT_SECRET,
              jwksUrl: config.JWT_JWKS_URL,
              issuer: config.JWT_ISSUER,
              audience: config.JWT_AUDIENCE,
            }),
        },
        {
          provide: REDIS,
          useFactory: () => createSharedRedis(config.REDIS_URL),
        },
        DependencyHealthChecks,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [SERVICE_CONFIG, SERVICE_NAME, MetricsService, HealthCheckRegistry, TOKEN_VERIFIER, REDIS],
    };
  }
}

/**
 * BullMQ wants connection options (it sets its own retry policy for blocking commands). A
 * `rediss://` URL means TLS: without `tls` the password would cross the network in clear.
 */
export function redisConnectionOptions(url: string): {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  tls?: { servername: string };
} {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.replace('/', '') || 0),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: parsed.hostname } } : {}),
  };
}
