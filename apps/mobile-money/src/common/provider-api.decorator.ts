import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { Public } from '@scholarpay/auth';
import { FaultGuard } from '../faults/fault.guard';
import { FaultInterceptor } from '../faults/fault.interceptor';
import { ProviderTokenGuard } from '../oauth/provider-token.guard';
import { ProviderExceptionFilter } from './provider-exception.filter';

/**
 * A route of the provider's public API: outside the platform's JWT guard (it has its own OAuth2
 * tokens), errors in the provider's format, and subject to fault injection (checked before the
 * token, as a gateway would).
 */
export function ProviderEndpoint({ authenticated = true }: { authenticated?: boolean } = {}) {
  return applyDecorators(
    Public(),
    UseFilters(ProviderExceptionFilter),
    authenticated ? UseGuards(FaultGuard, ProviderTokenGuard) : UseGuards(FaultGuard),
    UseInterceptors(FaultInterceptor),
    ...(authenticated ? [ApiBearerAuth()] : []),
  );
}

/**
 * A provider route that applies fault injection and the token check itself, in the same order and
 * through the same pieces (RequestFaultGate, ProviderTokenVerifier), without Nest's guard and
 * interceptor chain: for the cash-in route, the provider's hot path.
 */
export function ProviderHotPathEndpoint() {
  return applyDecorators(Public(), UseFilters(ProviderExceptionFilter), ApiBearerAuth());
}

/** An administration route (subscribers, float, faults): provider token required, never faulted. */
export function ProviderAdminEndpoint() {
  return applyDecorators(
    Public(),
    UseFilters(ProviderExceptionFilter),
    UseGuards(ProviderTokenGuard),
    ApiBearerAuth(),
  );
}
