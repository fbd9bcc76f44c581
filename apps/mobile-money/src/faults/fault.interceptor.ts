import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, mergeMap } from 'rxjs';
import { FaultedRequest, RequestFaultGate } from './request-fault-gate';

/** Applies the after-the-work faults (RequestFaultGate) once the route's work is done. */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(private readonly gate: RequestFaultGate) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FaultedRequest>();
    const failure = request.faults?.failure;
    if (!failure || failure.kind === 'none') return next.handle();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.gate.afterWork(request);
        return value;
      }),
    );
  }
}
