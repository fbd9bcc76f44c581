import { GroupCoordinator } from './group/group-coordinator';
import { LogManager } from './log/log-manager';
import { ProducerIdManager } from './log/producer-id-manager';
import { BrokerLogger } from './logger';
import { ResolvedOptions } from './options';
import { ApiHandler } from './protocol/api';

/** What request handlers reach: the broker's state and its identity on the network. */
export interface BrokerCore {
  readonly options: ResolvedOptions;
  readonly logger: BrokerLogger;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly producerIds: ProducerIdManager;
  readonly advertisedHost: string;
  readonly port: number;
  readonly clusterId: string;
  /** Long-polling fetches; stop() answers them all. */
  readonly pendingFetches: Set<() => void>;
  readonly stopping: boolean;
  handlers(): readonly ApiHandler[];
}
