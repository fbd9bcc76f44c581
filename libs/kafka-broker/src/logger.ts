/** Structured logger the caller can pass in (pino's shape: fields object first, then message). */
export interface BrokerLogger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const noop = (): void => undefined;

/** Default: quiet. */
export const silentLogger: BrokerLogger = { debug: noop, info: noop, warn: noop, error: noop };

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One JSON line per entry on stderr, at or above `level`. Used by the CLI. */
export function jsonLogger(level: Level = 'info', name = 'kafka-broker'): BrokerLogger {
  const at = (l: Level) => (fields: Record<string, unknown>, msg: string) => {
    if (ORDER[l] < ORDER[level]) return;
    process.stderr.write(JSON.stringify({ level: l, time: new Date().toISOString(), name, msg, ...fields }) + '\n');
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
