import { Injectable } from '@nestjs/common';
import { RequestFaultGate } from '../faults/request-fault-gate';
import type { FaultedRequest } from '../faults/request-fault-gate';
import { ProviderTokenVerifier } from '../oauth/provider-token.verifier';

/**
 * The steps of every provider route, in order, for the routes a payout goes through (cash-in,
 * status query and lookup, SMS one by one or in bulk): faults before the work, the bearer check, the work, faults after the work.
 * FaultGuard, ProviderTokenGuard and FaultInterceptor do the same through Nest's guard and
 * interceptor chain for the other routes; profiled, that chain cost about as much CPU as the rest
 * of a hot request. Errors leave through ProviderExceptionFilter either way.
 */
@Injectable()
export class ProviderHotPath {
  constructor(
    private readonly faults: RequestFaultGate,
    private readonly tokens: ProviderTokenVerifier,
  ) {}

  /** `weight`: the items of a bulk request, each counted by the rate limit. */
  async run<TResult>(request: FaultedRequest, work: (clientId: string) => Promise<TResult>, weight = 1): Promise<TResult> {
    await this.faults.beforeWork(request, weight);
    const clientId = await this.tokens.clientIdOf(request.headers.authorization);
    const result = await work(clientId);
    await this.faults.afterWork(request);
    return result;
  }
}
