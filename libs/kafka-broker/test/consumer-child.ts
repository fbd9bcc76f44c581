/**
 * A kafkajs consumer in its own process, for tests that kill a group member without LeaveGroup.
 * Env: BROKER, TOPIC, GROUP_ID. Prints `READY`, `ASSIGNED <json>` and one `MSG <json>` per record.
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: 'child-consumer', brokers: [String(process.env.BROKER)], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: String(process.env.GROUP_ID),
    sessionTimeout: Number(process.env.SESSION_TIMEOUT ?? 3000),
    heartbeatInterval: 300,
    rebalanceTimeout: 5000,
    maxWaitTimeInMs: 200,
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    process.stdout.write(`ASSIGNED ${JSON.stringify(e.payload.memberAssignment)}\n`);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: String(process.env.TOPIC), fromBeginning: true });
  await consumer.run({
    autoCommitInterval: 100,
    eachMessage: async ({ partition, message }) => {
      process.stdout.write(`MSG ${JSON.stringify({ p: partition, o: message.offset, v: String(message.value) })}\n`);
    },
  });
  process.stdout.write('READY\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`consumer child failed: ${String(err)}\n`);
  process.exit(1);
});
