export * from './test-database';
export * from './test-tokens';
export * from './wait-for';
export * from './test-environment';
export * from './service-process';
export * from './bench-report';
export * from './broker-process';
export * from './process-cpu';
