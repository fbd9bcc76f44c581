import { Injectable, Type } from '@nestjs/common';
import { createValidationPipe } from '@scholarpay/platform';
import { RequestFaultGate } from '../faults/request-fault-gate';
import type { FaultedRequest } from '../faults/request-fault-gate';
import { ProviderTokenVerifier } from '../oauth/provider-token.verifier';

/**
 * The steps of every provider route, in order, for the routes a payout goes through (cash-in,
 * status query one by one or in bulk, SMS one by one or in bulk): faults before the work, the
 * bearer check, the work, faults after the work. FaultGuard, ProviderTokenGuard and
 * FaultInterceptor do the same through Nest's guard and interceptor chain for the other routes;
 * profiled, that chain cost about as much CPU as the rest of a hot request. Errors leave through
 * ProviderExceptionFilter either way.
 */
@Injectable()
export class ProviderHotPath {
  private readonly validation = createValidationPipe();

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

  /**
   * A bulk route: the rate limit counts the items of the body's `itemsField`, and the body is
   * validated as `bodyType` (after the faults and the token check, as on every route) before the work.
   */
  runBulk<TBody extends object, TResult>(
    request: FaultedRequest,
    bodyType: Type<TBody>,
    itemsField: keyof TBody & string,
    work: (body: TBody, clientId: string) => Promise<TResult>,
  ): Promise<TResult> {
    return this.run(
      request,
      async (clientId) => work((await this.validation.transform(request.body, { type: 'body', metatype: bodyType })) as TBody, clientId),
      bulkItemCount(request.body, itemsField),
    );
  }
}

/**
 * How many items a bulk request's body carries, for the rate limit, which counts items rather
 * than requests. 1 when the field is not a non-empty list (validation then refuses the body).
 */
export function bulkItemCount(body: unknown, field: string): number {
  const items = (body as Record<string, unknown> | null | undefined)?.[field];
  return Array.isArray(items) && items.length > 0 ? items.length : 1;
}
