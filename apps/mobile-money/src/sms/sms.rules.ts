/** What an SMS is, for idempotency: the number and the text (as a cash-in is its payee, amount and references). */
export interface SmsContent {
  to: string;
  message: string;
}

/**
 * Whether a send under a reference already used is a retry of that SMS (answered with the original)
 * or another SMS (a conflict: answering the original would tell the caller a message was sent that
 * never was).
 */
export function isRetryOf(original: SmsContent, request: SmsContent): boolean {
  return original.to === request.to && original.message === request.message;
}
