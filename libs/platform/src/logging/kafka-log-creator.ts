import { logLevel, LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** Routes kafkajs's own logs into the service's pino logger (so they are JSON and redacted). */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const method = levelNames[level] ?? 'info';
      // kafkajs reports every rebalance and reconnect at ERROR; they are routine for us.
      const effective =
        method === 'error' && /rebalanc|not the coordinator|Connection (closed|error)/i.test(message)
          ? 'warn'
          : method;
      logger[effective]({ kafka: namespace, ...extra }, message);
    };
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
