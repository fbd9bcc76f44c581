import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FaultedRequest, RequestFaultGate } from './request-fault-gate';

/** Applies the before-the-work faults (RequestFaultGate) on a route, ahead of the token check. */
@Injectable()
export class FaultGuard implements CanActivate {
  constructor(private readonly gate: RequestFaultGate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.gate.beforeWork(context.switchToHttp().getRequest<FaultedRequest>());
    return true;
  }
}
