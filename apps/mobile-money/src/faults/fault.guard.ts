import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ProviderError } from '../common/provider-error';
import type { RequestFaults } from './fault-plan';
import { FaultService } from './fault.service';

export interface FaultedRequest extends Request {
  faults?: RequestFaults;
}

/**
 * Runs before the provider's own token check, like a gateway in front of the real API: outage
 * (503), rate limit (429 with Retry-After), latency, and 500 "before" anything is done. The
 * decision is left on the request for FaultInterceptor (timeouts and 500 "after" the work).
 */
@Injectable()
export class FaultGuard implements CanActivate {
  constructor(private readonly faults: FaultService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FaultedRequest>();
    const refusal = this.faults.admit();
    if (refusal) throw refusal;
    const decision = this.faults.decideRequest(msisdnOfRequest(request));
    request.faults = decision;
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.failure.kind === 'error' && decision.failure.phase === 'before') {
      throw ProviderError.internal('internal error (injected fault, nothing was done)');
    }
    return true;
  }
}

/** The phone number a request is about, for per-number fault profiles. */
export function msisdnOfRequest(request: Request): string | null {
  const body = request.body as { customer?: { id?: unknown }; to?: unknown } | undefined;
  if (typeof body?.customer?.id === 'string') return body.customer.id;
  if (typeof body?.to === 'string') return body.to;
  const param = (request.params as Record<string, string> | undefined)?.msisdn;
  if (typeof param === 'string') return param;
  const query = request.query?.to;
  return typeof query === 'string' ? query : null;
}
