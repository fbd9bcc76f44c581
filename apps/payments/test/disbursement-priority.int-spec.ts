import { Job, Queue, Worker } from 'bullmq';
import { testRedisUrl } from '@scholarpay/testing';
import { redisConnectionOptions } from '@scholarpay/platform';
import { ADVANCE_LINES_JOB, AdvanceLinesJobData, CONFIRMATION_PRIORITY, FIRST_SEND_PRIORITY } from '../src/disbursement/disbursement.queue';

/**
 * What the disbursement queue relies on BullMQ for (real Redis): jobs queued without a priority
 * (a callback's confirmation, an overdue line) and parked rechecks once due are served before the
 * batch's first sends queued ahead of them, which carry FIRST_SEND_PRIORITY. The jobs are shaped
 * as DisbursementQueue queues them (groups of line ids). A queue name of its own on
 * disbursement.int-spec's Redis DB (7); only that queue is removed afterwards.
 */
describe('disbursement queue priorities (BullMQ on real Redis)', () => {
  const connection = redisConnectionOptions(testRedisUrl(7));
  const name = `payments-priority-spec-${process.pid}-${Date.now()}`;
  const queue = new Queue<AdvanceLinesJobData>(name, { connection });
  const worker = new Worker<AdvanceLinesJobData>(name, null, { connection, autorun: false });
  const token = 'priority-spec';

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('serves confirmations, overdue lines and due rechecks before the first sends queued ahead of them', async () => {
    const group = (lineIds: string[], opts: { priority: number; delay?: number }) => ({ name: ADVANCE_LINES_JOB, data: { lineIds }, opts });
    await queue.addBulk([
      group(['a1', 'a2'], { priority: FIRST_SEND_PRIORITY }),
      group(['s1', 's2'], { priority: FIRST_SEND_PRIORITY }),
      group(['s3', 's4'], { priority: FIRST_SEND_PRIORITY }),
      group(['s5', 's6'], { priority: FIRST_SEND_PRIORITY }),
    ]);

    // The first group is sent; its lines are parked for a recheck, as DisbursementWorker does.
    const sent = (await worker.getNextJob(token)) as Job<AdvanceLinesJobData>;
    expect(sent.data.lineIds).toEqual(['a1', 'a2']);
    await queue.add(ADVANCE_LINES_JOB, { lineIds: ['a1', 'a2'] }, { priority: CONFIRMATION_PRIORITY, delay: 300 });
    await sent.moveToCompleted('done', token, false);

    // A callback's confirmation and the poller's overdue lines arrive meanwhile.
    await queue.addBulk([group(['callback-line'], { priority: CONFIRMATION_PRIORITY }), group(['overdue-line'], { priority: CONFIRMATION_PRIORITY })]);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const order: string[] = [];
    for (let next = await worker.getNextJob(token); next; next = await worker.getNextJob(token)) {
      order.push(next.data.lineIds.join('+'));
      await next.moveToCompleted('done', token, false);
      if (order.length === 6) break;
    }
    expect(order.slice(0, 3).sort()).toEqual(['a1+a2', 'callback-line', 'overdue-line']);
    expect(order.slice(3)).toEqual(['s1+s2', 's3+s4', 's5+s6']);
  });
});
