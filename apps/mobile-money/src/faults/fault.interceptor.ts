import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, mergeMap } from 'rxjs';
import { ProviderError } from '../common/provider-error';
import type { FaultedRequest } from './fault.guard';
import { FaultService } from './fault.service';

/**
 * The faults that strike after the work is done and committed: a 500 the caller cannot tell from a
 * failure, an answer held past the caller's timeout, or a connection reset. The transfer stands.
 */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(private readonly faults: FaultService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FaultedRequest>();
    const failure = request.faults?.failure;
    if (!failure || failure.kind === 'none') return next.handle();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        if (failure.kind === 'error') {
          throw ProviderError.internal('internal error (injected fault)');
        }
        if (failure.kind === 'timeout') {
          if (failure.mode === 'reset') {
            request.socket.destroy();
          } else {
            await this.faults.hang(failure.hangMs);
          }
        }
        return value;
      }),
    );
  }
}
