import type { Consumer } from 'kafkajs';

export interface ConsumerLivenessLimits {
  /** How long a consumer may take to join its group after start (it may wait out a crashed predecessor's session). */
  joinGraceMs: number;
  /** How long a joined consumer may go without a heartbeat or a fetch before it counts as stuck. */
  silenceMs: number;
}

/** Well above the group's 30 s session timeout and the 5 s fetch wait, so that a rebalance is not a failure. */
export const DEFAULT_CONSUMER_LIVENESS: ConsumerLivenessLimits = { joinGraceMs: 60_000, silenceMs: 45_000 };

/**
 * Whether a service's Kafka consumer is still consuming, from kafkajs's instrumentation events: a
 * consumer that crashed for good (kafkajs gave up restarting it), never joined its group, or has
 * stopped heartbeating and fetching leaves the service up but deaf to the events it exists for.
 */
export class KafkaConsumerLiveness {
  private lastSignOfLife: number | null = null;
  private fatal: string | null = null;
  private readonly startedAt: number;

  constructor(
    private readonly limits: ConsumerLivenessLimits = DEFAULT_CONSUMER_LIVENESS,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  attach(consumer: Consumer): void {
    const alive = () => this.alive();
    consumer.on(consumer.events.GROUP_JOIN, alive);
    consumer.on(consumer.events.HEARTBEAT, alive);
    consumer.on(consumer.events.FETCH, alive);
    consumer.on(consumer.events.CRASH, (event) => this.crashed(event.payload.error, event.payload.restart));
  }

  alive(): void {
    this.lastSignOfLife = this.now();
    this.fatal = null;
  }

  crashed(error: Error, willRestart: boolean): void {
    if (!willRestart) this.fatal = `the Kafka consumer stopped after an error it will not recover from: ${error.message}`;
  }

  /** The reason the consumer is not consuming, or null. */
  problem(): string | null {
    if (this.fatal) return this.fatal;
    const now = this.now();
    if (this.lastSignOfLife === null) {
      return now - this.startedAt > this.limits.joinGraceMs
        ? `the Kafka consumer has not joined its group in ${Math.round((now - this.startedAt) / 1000)} s`
        : null;
    }
    const silentFor = now - this.lastSignOfLife;
    return silentFor > this.limits.silenceMs ? `the Kafka consumer has not heartbeated or fetched for ${Math.round(silentFor / 1000)} s` : null;
  }
}
