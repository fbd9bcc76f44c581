import { runMain } from '@scholarpay/platform';
import { startEligibilityService } from './eligibility.app';

runMain('eligibility', () => startEligibilityService());
