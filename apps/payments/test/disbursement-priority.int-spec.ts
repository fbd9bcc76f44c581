import { Job, Queue, Worker } from 'bullmq';
import { testRedisUrl } from '@scholarpay/testing';
import { redisConnectionOptions } from '@scholarpay/platform';
import { CONFIRMATION_PRIORITY, FIRST_SEND_PRIORITY } from '../src/disbursement/disbursement.queue';

/**
 * What the disbursement queue relies on BullMQ for (real Redis): a line's job re-prioritised to
 * CONFIRMATION_PRIORITY while it runs, parked, then woken (a callback promotes it) is served before
 * the batch's remaining first sends; so is a line the poller finds overdue. A queue name of its own on
 * disbursement.int-spec's Redis DB (7); only that queue is removed afterwards.
 */
describe('disbursement queue priorities (BullMQ on real Redis)', () => {
  const connection = redisConnectionOptions(testRedisUrl(7));
  const name = `payments-priority-spec-${process.pid}-${Date.now()}`;
  const queue = new Queue(name, { connection });
  const worker = new Worker(name, null, { connection, autorun: false });
  const token = 'priority-spec';

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('serves confirmations and overdue lines before the first sends queued ahead of them', async () => {
    const firstSend = (lineId: string) => ({
      name: 'advance-line',
      data: { lineId },
      opts: { jobId: lineId, priority: FIRST_SEND_PRIORITY },
    });
    await queue.addBulk([firstSend('sent-line'), firstSend('s1'), firstSend('s2'), firstSend('s3')]);

    // The first line is sent, then parked for its confirmation, as DisbursementWorker does.
    const sent = (await worker.getNextJob(token)) as Job;
    expect(sent.id).toBe('sent-line');
    await sent.changePriority({ priority: CONFIRMATION_PRIORITY });
    await sent.moveToDelayed(Date.now() + 60_000, token);

    // The poller finds another line overdue (enqueue(…, 'overdue')), and a callback wakes the parked one.
    await queue.add(
      'advance-line',
      { lineId: 'overdue-line' },
      { jobId: 'overdue-line', priority: CONFIRMATION_PRIORITY },
    );
    await (await Job.fromId(queue, 'sent-line'))!.promote();

    const order: string[] = [];
    for (let next = await worker.getNextJob(token); next; next = await worker.getNextJob(token)) {
      order.push(next.id!);
      await next.moveToCompleted('done', token, false);
      if (order.length === 5) break;
    }
    expect(order.slice(0, 2).sort()).toEqual(['overdue-line', 'sent-line']);
    expect(order.slice(2)).toEqual(['s1', 's2', 's3']);
  });
});
