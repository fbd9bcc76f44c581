/**
 * What kind of failure an error is; the one exception filter maps kinds to HTTP statuses, so
 * business code never speaks HTTP. Codes are stable strings clients may branch on
 * (`PAYOUT_BATCH.NOT_APPROVABLE`), messages are for people.
 */
export type ErrorKind =
  | 'validation' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'unprocessable' // 422
  | 'too_many_requests' // 429
  | 'unavailable'; // 503

export interface FieldProblem {
  field: string;
  problem: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(code: string, message: string, fields: FieldProblem[] = []): AppError {
    return new AppError('validation', code, message, undefined, fields);
  }

  static notFound(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError('not_found', code, message, details);
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError('conflict', code, message, details);
  }

  static forbidden(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError('forbidden', code, message, details);
  }

  static unprocessable(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError('unprocessable', code, message, details);
  }
}

export const httpStatusOfKind: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
};
