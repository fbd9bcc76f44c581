export type ImportStatus = 'queued' | 'processing' | 'completed' | 'failed';

/**
 * The one table of allowed import transitions. `processing → processing` is a resumption after a
 * crash or a retried job; completed and failed are final.
 */
export const IMPORT_TRANSITIONS: Readonly<Record<ImportStatus, readonly ImportStatus[]>> = {
  queued: ['processing', 'failed'],
  processing: ['processing', 'completed', 'failed'],
  completed: [],
  failed: [],
};

export function canTransition(from: ImportStatus, to: ImportStatus): boolean {
  return IMPORT_TRANSITIONS[from].includes(to);
}

export function isFinal(status: ImportStatus): boolean {
  return IMPORT_TRANSITIONS[status].length === 0;
}
