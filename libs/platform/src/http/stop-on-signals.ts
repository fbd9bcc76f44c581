import { INestApplication } from '@nestjs/common';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

interface ShutdownLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Nest's shutdown hooks, with a line when the signal arrives and one when everything has stopped,
 * so that an operator sees a stop begin and end; then exit 0. As with Nest, a second signal is
 * ignored. Returns the function that stops listening (the app closed otherwise, as tests do).
 */
export function stopOnSignals(app: INestApplication, logger: () => ShutdownLogger): () => void {
  let received = false;
  const stopListening = () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return;
    received = true;
    logger().info({ signal }, 'shutting down');
    app.close().then(
      () => {
        logger().info({ signal }, 'stopped');
        // Exit rather than raise the signal again: pino writes asynchronously and flushes on
        // 'exit', which a process ended by a signal never emits (its last lines were lost).
        process.exit(0);
      },
      (error: unknown) => {
        logger().error({ err: error, signal }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // While a signal's shutdown runs, a second signal must still find the listener that ignores it.
  return () => {
    if (!received) stopListening();
  };
}
