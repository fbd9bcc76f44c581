import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SERVICE_CONFIG } from '@scholarpay/platform';
import type { PaymentsConfig } from '../payments.config';
import { MobileMoneyClient } from './mobile-money.client';

export const CALLBACK_PATH = '/api/v1/provider-callbacks/mobile-money';

/** Where the provider should send this service's callbacks: PAYMENTS_PUBLIC_URL, else the address this process listens on. */
@Injectable()
export class CallbackUrl {
  private cached: string | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: PaymentsConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  get(): string {
    if (this.cached) return this.cached;
    if (this.config.PAYMENTS_PUBLIC_URL) {
      this.cached = `${this.config.PAYMENTS_PUBLIC_URL.replace(/\/$/, '')}${CALLBACK_PATH}`;
      return this.cached;
    }
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { address?: () => unknown } | undefined;
    const address = server?.address?.() as { port?: number } | null | undefined;
    const port = address?.port ?? this.config.PORT;
    const host = this.config.HOST === '0.0.0.0' ? '127.0.0.1' : this.config.HOST;
    const url = `http://${host}:${port}${CALLBACK_PATH}`;
    if (address?.port) this.cached = url;
    return url;
  }
}

@Injectable()
class ClientCloser implements OnApplicationShutdown {
  constructor(private readonly client: MobileMoneyClient) {}

  onApplicationShutdown(): void {
    this.client.close();
  }
}

@Module({
  providers: [
    {
      provide: MobileMoneyClient,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PaymentsConfig) =>
        new MobileMoneyClient({
          baseUrl: config.MOBILE_MONEY_BASE_URL,
          clientId: config.MOBILE_MONEY_CLIENT_ID,
          clientSecret: config.MOBILE_MONEY_CLIENT_SECRET,
          timeoutMs: config.PAYMENTS_PROVIDER_TIMEOUT_MS,
          // Enough sockets for every concurrent job plus the API's own calls.
          maxSockets: config.PAYMENTS_DISBURSEMENT_CONCURRENCY + 16,
        }),
    },
    CallbackUrl,
    ClientCloser,
  ],
  exports: [MobileMoneyClient, CallbackUrl],
})
export class ProviderModule {}
