import 'reflect-metadata';
import { runMain } from '@scholarpay/platform';
import { startEnrolmentService } from './enrolment.app';

runMain('enrolment', () => startEnrolmentService());
