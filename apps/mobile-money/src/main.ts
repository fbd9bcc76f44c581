import { runMain } from '@scholarpay/platform';
import { startMobileMoneyService } from './mobile-money.app';

runMain('mobile-money', () => startMobileMoneyService());
