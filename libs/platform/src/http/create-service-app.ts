import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_PUBLIC_EXTENSION } from '@scholarpay/auth';
import { Logger, PinoLogger } from 'nestjs-pino';
import { logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { HealthCheckRegistry } from '../health/health-check.registry';
import { KafkaConsumerLiveness } from '../health/kafka-consumer-liveness';
import { createLogger } from '../logging/logger';
import { kafkaLogCreator, parseBrokers } from '../logging/kafka-log-creator';
import { MetricsService } from '../metrics/metrics.service';
import { registerBodyParsers } from './body-parsers';
import { answerClientError } from './client-errors';
import { registerRequestHooks } from './request-hooks';
import { stopOnSignals } from './stop-on-signals';

export interface ServiceAppOptions {
  service: string;
  title: string;
  description: string;
  port: number;
  host?: string;
  /** `api/v1` for our services; the mock provider mimics an outside API and has none. */
  globalPrefix?: string | null;
  /** Largest JSON or form body accepted, in bytes (1 MiB unless set). */
  bodyLimitBytes?: number;
  logLevel?: string;
  /** When set, the service consumes Kafka through @nestjs/microservices with this consumer group. */
  kafka?: { brokers: string; groupId: string };
  /** How OpenAPI describes the bearer token: our services take JWTs; the mock provider its own opaque tokens. */
  bearerToken?: { format: string; description: string };
}

const JWT_BEARER = { format: 'JWT', description: 'a JWT naming the caller (sub) and their roles' };

export interface RunningServiceApp {
  app: INestApplication;
  url: string;
  port: number;
}

/** Builds and starts one service: HTTP (with OpenAPI at /docs) and, if asked, its Kafka consumers. */
export async function createServiceApp(rootModule: unknown, options: ServiceAppOptions): Promise<RunningServiceApp> {
  // Fastify rather than Express: measured on this machine, Nest answers a request for a fifth to a
  // half of the CPU (docs/benchmarks.md, "HTTP adapter"), and every payout is four HTTP exchanges.
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // As Express did: /a/ is /a, and ids up to 500 characters reach validation (a clear 400)
    // instead of Fastify's default 100-character limit answering 404.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(app);
  registerRequestHooks(fastify, { logger: () => PinoLogger.root, metrics: app.get(MetricsService) });
  const prefix = options.globalPrefix === undefined ? 'api/v1' : options.globalPrefix;
  if (prefix) {
    app.setGlobalPrefix(prefix, { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: (options.bearerToken ?? JWT_BEARER).format,
        description: (options.bearerToken ?? JWT_BEARER).description,
      })
      .addSecurityRequirements('bearer')
      .build(),
  );
  describeAuthentication(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  if (options.kafka) {
    const kafkaLogger = createLogger({ service: options.service, level: options.logLevel ?? 'info' });
    const microservice: KafkaOptions = {
      transport: Transport.KAFKA,
      options: {
        client: {
          clientId: options.service,
          brokers: parseBrokers(options.kafka.brokers),
          logLevel: logLevel.WARN,
          logCreator: kafkaLogCreator(kafkaLogger.child({ component: 'kafka-consumer' })),
          retry: { initialRetryTime: 300, retries: 30 },
        },
        consumer: {
          groupId: options.kafka.groupId,
          allowAutoTopicCreation: true,
          sessionTimeout: 30000,
          heartbeatInterval: 3000,
        },
        subscribe: { fromBeginning: true },
        // Offsets are committed by kafkajs only for messages whose handler resolved, and our
        // handlers resolve only after their database transaction committed (see InboxProcessor).
        run: { autoCommit: true, autoCommitInterval: 1000, autoCommitThreshold: 50 },
        producerOnlyMode: false,
        postfixId: '',
      },
    };
    app.connectMicroservice(microservice, { inheritAppConfig: true });
  }

  const stopListening = stopOnSignals(app, () => PinoLogger.root);
  fastify.addHook('onClose', async () => stopListening());
  await app.listen(options.port, options.host ?? '127.0.0.1');
  // Joined after HTTP listens: a restarted process answers (health, its API) while the group waits
  // out a crashed predecessor's session, instead of being unreachable for up to 30 s.
  if (options.kafka) {
    await app.startAllMicroservices();
    watchKafkaConsumer(app);
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return { app, url, port: address.port };
}

/** Readiness fails when the service's consumer has stopped consuming (see KafkaConsumerLiveness). */
function watchKafkaConsumer(app: INestApplication): void {
  const liveness = new KafkaConsumerLiveness();
  const [, consumer] = app.getMicroservices()[0].unwrap<[unknown, Consumer, unknown]>();
  liveness.attach(consumer);
  app.get(HealthCheckRegistry, { strict: false }).register('kafka-consumer', async () => {
    const problem = liveness.problem();
    if (problem) throw new Error(problem);
  });
}

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * What a caller needs to know about authentication, per operation: a public route (health,
 * metrics, signed callbacks) needs no bearer token, unless it declares its own scheme (the mock
 * provider's routes take the provider's tokens); every other route answers 401 without a valid one.
 */
export function describeAuthentication(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = path[method] as (OperationObject & { [OPENAPI_PUBLIC_EXTENSION]?: boolean }) | undefined;
      if (!operation) continue;
      if (operation[OPENAPI_PUBLIC_EXTENSION]) {
        delete operation[OPENAPI_PUBLIC_EXTENSION];
        operation.security ??= [];
      } else {
        operation.responses['401'] ??= { description: 'AUTH.TOKEN_MISSING or AUTH.TOKEN_INVALID: no valid bearer token' };
      }
    }
  }
}
