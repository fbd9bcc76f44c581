import { loadConfig, runInWorkers, runMain } from '@scholarpay/platform';
import { MOBILE_MONEY_SERVICE, mobileMoneyConfigSchema, startMobileMoneyService } from './mobile-money.app';

runMain(MOBILE_MONEY_SERVICE, () => {
  const config = loadConfig(MOBILE_MONEY_SERVICE, mobileMoneyConfigSchema, process.env);
  // Every piece of the provider's shared state is in Postgres, so workers can share the port.
  return runInWorkers(config.MOBILE_MONEY_HTTP_WORKERS, () => startMobileMoneyService());
});
