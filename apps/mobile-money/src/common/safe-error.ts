import { maskSensitiveText } from '@scholarpay/platform';

/**
 * An error as it may be logged: name, code, masked message and stack, and nothing else. A TypeORM
 * QueryFailedError carries the query's parameters (phone numbers among them), which the platform's
 * error serializer would log as they are.
 */
export function safeError(error: unknown): { name: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { name: 'NonError', message: maskSensitiveText(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: maskSensitiveText(error.message),
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: maskSensitiveText(error.stack) } : {}),
  };
}
