import 'reflect-metadata';
import { runMain } from '@scholarpay/platform';
import { startExamsService } from './exams.app';

runMain('exams', () => startExamsService());
