import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BrokerOptions, KafkaBroker, startBroker } from '../src';

export async function withTempDir(): Promise<{ dir: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-broker-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestBroker(opts: BrokerOptions = {}): Promise<KafkaBroker> {
  return startBroker({ port: 0, host: '127.0.0.1', groupMinSessionTimeoutMs: 1000, ...opts });
}

export function kafkaFor(broker: { address: string }, clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 8 },
  });
}

/** Resolves when `cond` is true, polling; rejects after `ms`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let seq = 0;
export function uniqueName(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}-${Date.now().toString(36)}`;
}
