import { KafkaConsumerLiveness } from './kafka-consumer-liveness';

describe('KafkaConsumerLiveness', () => {
  function setup() {
    let now = 1_000_000;
    const liveness = new KafkaConsumerLiveness({ joinGraceMs: 60_000, silenceMs: 45_000 }, () => now);
    return { liveness, advance: (ms: number) => (now += ms) };
  }

  it('gives a starting consumer time to join its group, then says it never did', () => {
    const { liveness, advance } = setup();
    advance(59_000);
    expect(liveness.problem()).toBeNull();
    advance(2_000);
    expect(liveness.problem()).toBe('the Kafka consumer has not joined its group in 61 s');
  });

  it('is fine while heartbeats or fetches come, and says so once they stop for longer than a rebalance takes', () => {
    const { liveness, advance } = setup();
    liveness.alive();
    advance(40_000);
    expect(liveness.problem()).toBeNull();
    liveness.alive();
    advance(46_000);
    expect(liveness.problem()).toBe('the Kafka consumer has not heartbeated or fetched for 46 s');
    liveness.alive();
    expect(liveness.problem()).toBeNull();
  });

  it('ignores a crash kafkajs restarts from, and reports one it does not until the consumer is back', () => {
    const { liveness } = setup();
    liveness.alive();
    liveness.crashed(new Error('The coordinator is loading'), true);
    expect(liveness.problem()).toBeNull();
    liveness.crashed(new Error('Topic authorization failed'), false);
    expect(liveness.problem()).toBe('the Kafka consumer stopped after an error it will not recover from: Topic authorization failed');
    liveness.alive();
    expect(liveness.problem()).toBeNull();
  });
});
