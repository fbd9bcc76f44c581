import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProviderError } from '../common/provider-error';
import type { RequestFaults } from './fault-plan';
import { FaultService } from './fault.service';

export interface FaultedRequest extends FastifyRequest {
  faults?: RequestFaults;
}

/**
 * The faults a request meets, in the order a gateway in front of the real API would apply them.
 * Before the work (and before the token check): outage (503), rate limit (429 with Retry-After),
 * latency, and a 500 with nothing done. After the work is committed: a 500 the caller cannot tell
 * from a failure, an answer held past the caller's timeout, or a connection reset; the transfer
 * stands. Used by FaultGuard/FaultInterceptor and by the cash-in route, which applies it itself.
 */
@Injectable()
export class RequestFaultGate {
  constructor(private readonly faults: FaultService) {}

  /** `weight`: how many items a bulk request carries (the rate limit counts items, not requests). */
  async beforeWork(request: FaultedRequest, weight = 1): Promise<void> {
    const refusal = this.faults.admit(Date.now(), weight);
    if (refusal) throw refusal;
    const decision = this.faults.decideRequest(msisdnOfRequest(request));
    request.faults = decision;
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.failure.kind === 'error' && decision.failure.phase === 'before') {
      throw ProviderError.internal('internal error (injected fault, nothing was done)');
    }
  }

  async afterWork(request: FaultedRequest): Promise<void> {
    const failure = request.faults?.failure;
    if (!failure || failure.kind === 'none') return;
    if (failure.kind === 'error') throw ProviderError.internal('internal error (injected fault)');
    if (failure.kind === 'timeout') {
      if (failure.mode === 'reset') request.socket.destroy();
      else await this.faults.hang(failure.hangMs);
    }
  }
}

/** The phone number a request is about, for per-number fault profiles. */
export function msisdnOfRequest(request: FastifyRequest): string | null {
  const body = request.body as { customer?: { id?: unknown }; to?: unknown } | undefined;
  if (typeof body?.customer?.id === 'string') return body.customer.id;
  if (typeof body?.to === 'string') return body.to;
  const param = (request.params as Record<string, string> | undefined)?.msisdn;
  if (typeof param === 'string') return param;
  const query = (request.query as Record<string, unknown> | undefined)?.to;
  return typeof query === 'string' ? query : null;
}
