export { KafkaBroker, startBroker } from './broker';
export type { BrokerOptions } from './options';
export type { BrokerLogger } from './logger';
export { jsonLogger, silentLogger } from './logger';
