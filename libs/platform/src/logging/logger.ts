import pino, { Logger, LoggerOptions } from 'pino';
import { currentCorrelation } from './correlation';
import { maskSensitiveText, REDACTED, redactSensitiveFields, topLevelRedactionPaths } from './redaction';

export interface LoggerSettings {
  service: string;
  level: string;
}

/** pino options shared by the HTTP logger and the plain service logger. */
export function buildLoggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    name: settings.service,
    level: settings.level,
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line's fields are redacted by key at any depth (formatters.log); a child logger's
    // bindings do not pass through that formatter, so pino's exact (wildcard-free, cheap) paths
    // cover their top-level keys: bind ids to children, never nested personal data.
    redact: { paths: topLevelRedactionPaths, censor: REDACTED },
    formatters: { log: (object) => redactSensitiveFields(object) },
    mixin: () => {
      const context = currentCorrelation();
      return context ? { correlationId: context.correlationId } : {};
    },
    hooks: {
      // Free-text arguments are masked too: a phone number can hide inside a message.
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskSensitiveText(arg) : arg));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (error: unknown) => {
        // A database error carries the query's parameters (phone numbers, national ids), and TypeORM
        // copies the driver's `detail` onto it, which can quote the failing row: never log them.
        const {
          parameters: _parameters,
          driverError: _driverError,
          detail: _detail,
          ...serialized
        } = pino.stdSerializers.err(error as Error) as ReturnType<typeof pino.stdSerializers.err> & {
          parameters?: unknown;
          driverError?: unknown;
          detail?: unknown;
        };
        return redactSensitiveFields({
          ...serialized,
          message: maskSensitiveText(serialized.message ?? ''),
          stack: maskSensitiveText(serialized.stack ?? ''),
        });
      },
    },
  };
}

export function createLogger(settings: LoggerSettings): Logger {
  return pino(buildLoggerOptions(settings));
}
