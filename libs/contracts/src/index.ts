export * from './envelope';
export * from './topics';
export * from './common.schemas';
export * from './enrolment.events';
export * from './eligibility.events';
export * from './payments.events';
export * from './exams.events';
export * from './catalogue';
