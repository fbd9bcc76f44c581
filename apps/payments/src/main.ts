import { runMain } from '@scholarpay/platform';
import { startPaymentsService } from './payments.app';

runMain('payments', () => startPaymentsService());
