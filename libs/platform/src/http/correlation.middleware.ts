import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER, correlationIdFrom, runWithCorrelation } from '../logging/correlation';

/** Takes the caller's correlation id (or makes one) and runs the rest of the request inside it. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
  (req as Request & { correlationId?: string }).correlationId = correlationId;
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithCorrelation({ correlationId, causationId: correlationId }, () => next());
}
