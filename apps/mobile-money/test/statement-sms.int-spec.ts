import { randomUUID } from 'node:crypto';
import type { RunningServiceApp } from '@scholarpay/platform';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { DbProbe } from './db-probe';
import { msisdn, ProviderClient, providerEnv } from './provider-test-kit';

describe('mobile-money statement and SMS', () => {
  let service: RunningServiceApp;
  let client: ProviderClient;
  let db: DbProbe;

  beforeAll(async () => {
    const env = await providerEnv('statement_sms');
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    await client.authenticate();
    db = await DbProbe.connect(env.DATABASE_URL);
  });

  afterAll(async () => {
    await service?.app.close();
    await db?.close();
  });

  describe('statement', () => {
    const references: string[] = [];

    beforeAll(async () => {
      await client.upsertSubscriber(msisdn(9), 1, true);
      for (let n = 0; n < 23; n++) {
        const referenceId = randomUUID();
        references.push(referenceId);
        await client.cashin(
          { msisdn: n === 5 ? msisdn(9) : msisdn(n), amount: 1_000 + n, reference: `st-${n}` },
          { referenceId },
        );
      }
      for (const referenceId of references) await client.finalStatus(referenceId);
    });

    it('pages through every cash-in in creation order with a stable cursor', async () => {
      const seen: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/transactions?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await client.send('GET', query);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages += 1;
        // A cash-in created while paging must not shift the pages already read.
        if (pages === 2) await client.cashin({ msisdn: msisdn(1), amount: 500, reference: 'during-paging' });
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen.slice(0, 23).map((item) => item.referenceId)).toEqual(references);
      expect(seen).toHaveLength(24);
      expect(seen[24 - 1].reference).toBe('during-paging');
      expect(seen[0]).toEqual({
        transactionId: expect.stringMatching(/^CI/),
        referenceId: references[0],
        type: 'CASHIN',
        status: 'SUCCESS',
        reasonCode: null,
        msisdn: msisdn(0),
        amount: { value: 1_000, unit: 'XOF' },
        reference: 'st-0',
        createdAt: expect.any(String),
        completedAt: expect.any(String),
      });
      expect(seen[5]).toMatchObject({ status: 'FAILED', reasonCode: 'PAYEE_BLOCKED' });
    });

    it('filters on createdAt, from inclusive and to exclusive', async () => {
      const all = (await client.send('GET', '/transactions?limit=1000')).body.items as {
        createdAt: string;
        referenceId: string;
      }[];
      // Cut at the exact (microsecond) creation time of the 10th cash-in.
      const [{ at }] = await db.query(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM mobile_money.cashins WHERE reference_id = $1`,
        [references[9]],
      );
      const before = (await client.send('GET', `/transactions?limit=1000&to=${encodeURIComponent(at)}`)).body
        .items;
      const after = (await client.send('GET', `/transactions?limit=1000&from=${encodeURIComponent(at)}`)).body
        .items;
      expect(before.map((item: { referenceId: string }) => item.referenceId)).toEqual(references.slice(0, 9));
      expect(after[0].referenceId).toBe(references[9]);
      expect(before.length + after.length).toBe(all.length);
    });

    it('compares from and to as instants, whatever their precision or time zone', async () => {
      for (const query of [
        // Windows before any cash-in of this suite: valid, and empty.
        'from=2001-12-07T23:00Z&to=2001-12-07T23:00:30Z',
        'from=2001-12-08T00:00:00%2B01:00&to=2001-12-07T23:30:00Z',
        'from=2001-12-07T23:00:00.000001Z&to=2001-12-07T23:00:00.000002Z',
      ]) {
        const answer = await client.send('GET', `/transactions?${query}`);
        expect({ query, status: answer.status, body: answer.body }).toEqual({ query, status: 200, body: { items: [], nextCursor: null } });
      }
    });

    it('refuses a bad query, naming the parameter', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=ten', 'limit'],
        ['from=yesterday', 'from'],
        ['to=2026-03-01', 'to'],
        ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
        ['cursor=garbage!', 'cursor'],
        [`cursor=${Buffer.from('1:x').toString('base64url')}`, 'cursor'],
        // Each of these reached Postgres and came back a 500.
        ['from=2026-02-30T00:00:00Z', 'from'],
        ['to=0000-01-01T00:00:00Z', 'to'],
        ['from=2026-03-01T00:00:00%2B16:00', 'from'],
        [`cursor=${Buffer.from('9999999999999999999:1').toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from('1767225600123456:9999999999999999999').toString('base64url')}`, 'cursor'],
        // An inverted window written in two time zones (a string comparison let it through).
        ['from=2026-12-07T23:30:00Z&to=2026-12-08T00:00:00%2B01:00', 'to'],
      ]) {
        const answer = await client.send('GET', `/transactions?${query}`);
        expect({ query, status: answer.status, code: answer.body.code }).toEqual({
          query,
          status: 400,
          code: 'INVALID_REQUEST',
        });
        expect(answer.body.errors.map((entry: { field: string }) => entry.field)).toContain(field);
      }
    });
  });

  describe('status lookup', () => {
    it('answers many references in one request, in the order asked, as the status query shows each', async () => {
      const known = randomUUID();
      await client.cashin({ msisdn: msisdn(20), amount: 2_500, reference: 'lookup-1' }, { referenceId: known });
      const final = await client.finalStatus(known);
      const unknown = randomUUID();
      const answer = await client.send('POST', '/cashins/lookup', { json: { referenceIds: [unknown, known.toUpperCase(), known] } });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        items: [
          { referenceId: unknown, transaction: null },
          { referenceId: known, transaction: final },
          { referenceId: known, transaction: final },
        ],
      });
      // Each reference reads as GET /cashins/{referenceId} reads it.
      expect((await client.status(known)).body).toEqual(final);
    });

    it('refuses a bad lookup, naming the field and the problem', async () => {
      for (const [json, problem] of [
        [{}, 'is required'],
        [{ referenceIds: [] }, 'must hold at least one reference'],
        [{ referenceIds: [randomUUID(), 'not-a-uuid'] }, 'must hold UUIDs only'],
        [{ referenceIds: Array.from({ length: 101 }, () => randomUUID()) }, 'must hold at most 100 references'],
        [{ referenceIds: [randomUUID()], extra: 1 }, 'is not a known field'],
      ] as const) {
        const answer = await client.send('POST', '/cashins/lookup', { json });
        expect({ problem, status: answer.status, code: answer.body.code }).toEqual({ problem, status: 400, code: 'INVALID_REQUEST' });
        expect(answer.body.errors.map((entry: { problem: string }) => entry.problem)).toContain(problem);
      }
      const anonymous = await fetch(`${service.url}/cashins/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ referenceIds: [randomUUID()] }),
      });
      expect(anonymous.status).toBe(401);
    });
  });

  describe('SMS', () => {
    it('sends, lists newest last, and sends a reference only once', async () => {
      const to = msisdn(100);
      const first = await client.send('POST', '/sms/outbound', {
        json: { to, message: 'Votre bourse de 25 000 FCFA a été versée.', reference: 'sms-line-1' },
      });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        smsId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        to,
        message: 'Votre bourse de 25 000 FCFA a été versée.',
        reference: 'sms-line-1',
        createdAt: expect.any(String),
      });
      const again = await client.send('POST', '/sms/outbound', {
        json: { to, message: 'Votre bourse de 25 000 FCFA a été versée.', reference: 'sms-line-1' },
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const parallel = await Promise.all(
        Array.from({ length: 8 }, () =>
          client.send('POST', '/sms/outbound', { json: { to, message: 'Rappel', reference: 'sms-line-2' } }),
        ),
      );
      expect(parallel.filter((answer) => answer.status === 201)).toHaveLength(1);
      expect(new Set(parallel.map((answer) => answer.body.smsId)).size).toBe(1);
      const unreferenced = await client.send('POST', '/sms/outbound', {
        json: { to, message: 'Sans référence' },
      });
      expect(unreferenced.status).toBe(201);
      expect(unreferenced.body.reference).toBeNull();
      await client.send('POST', '/sms/outbound', { json: { to: msisdn(101), message: 'Autre étudiant' } });

      const listed = await client.send('GET', `/sms/outbound?to=${encodeURIComponent(to)}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { message: string }) => item.message)).toEqual([
        'Votre bourse de 25 000 FCFA a été versée.',
        'Rappel',
        'Sans référence',
      ]);
    });

    it('answers each SMS of a burst sent together by its own reference: new ones 201, repeats 200 with the original', async () => {
      const burst = Array.from({ length: 24 }, (_, index) => ({
        to: msisdn(110 + (index % 6)),
        message: `Message ${index % 12}`,
        // Twelve references, each sent twice within the burst; every sixth message has none.
        ...(index % 6 === 5 ? {} : { reference: `burst-${index % 12}` }),
      }));
      const answers = await Promise.all(burst.map((json) => client.send('POST', '/sms/outbound', { json })));
      const byReference = new Map<string, { status: number; body: { smsId: string; message: string } }[]>();
      answers.forEach((answer, index) => {
        const reference = burst[index].reference;
        if (!reference) {
          expect(answer.status).toBe(201);
          return;
        }
        byReference.set(reference, [...(byReference.get(reference) ?? []), answer]);
      });
      for (const [reference, sent] of byReference) {
        expect({ reference, statuses: sent.map((answer) => answer.status).sort() }).toEqual({ reference, statuses: [200, 201] });
        expect(new Set(sent.map((answer) => answer.body.smsId)).size).toBe(1);
      }
      const smsIds = answers.map((answer) => answer.body.smsId);
      expect(new Set(smsIds).size).toBe(byReference.size + burst.filter((json) => !json.reference).length);
    });

    it('sends many SMS in one request, each once by its reference, answered in order', async () => {
      const messages = Array.from({ length: 5 }, (_, index) => ({
        to: msisdn(130 + index),
        message: `Votre bourse de ${index + 1} 000 FCFA a été versée.`,
        reference: `batch-${index}`,
      }));
      const single = await client.send('POST', '/sms/outbound', { json: messages[2] });
      expect(single.status).toBe(201);

      const first = await client.send('POST', '/sms/outbound/batch', { json: { messages } });
      expect(first.status).toBe(200);
      expect(first.body.items.map((item: { reference: string; outcome: string }) => [item.reference, item.outcome])).toEqual([
        ['batch-0', 'SENT'],
        ['batch-1', 'SENT'],
        ['batch-2', 'ALREADY_SENT'],
        ['batch-3', 'SENT'],
        ['batch-4', 'SENT'],
      ]);
      expect(first.body.items[0].sms).toEqual({
        smsId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        to: messages[0].to,
        message: messages[0].message,
        reference: 'batch-0',
        createdAt: expect.any(String),
      });
      expect(first.body.items[2].sms).toEqual(single.body);

      // The same batch again (a retry after a lost answer) sends nothing and answers the originals.
      const again = await client.send('POST', '/sms/outbound/batch', { json: { messages } });
      expect(again.status).toBe(200);
      expect(again.body.items.map((item: { outcome: string }) => item.outcome)).toEqual(Array(5).fill('ALREADY_SENT'));
      expect(again.body.items.map((item: { sms: unknown }) => item.sms)).toEqual(first.body.items.map((item: { sms: unknown }) => item.sms));
      for (const message of messages) {
        const listed = await client.send('GET', `/sms/outbound?to=${encodeURIComponent(message.to)}`);
        expect(listed.body.items.map((item: { reference: string }) => item.reference)).toEqual([message.reference]);
      }
      expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.sms_messages WHERE reference LIKE 'batch-%'`)).toBe(5);
    });

    it('refuses a reference reused for another number or text, sending nothing, as a cash-in with another body is refused', async () => {
      const original = { to: msisdn(150), message: 'Votre bourse de mars a été versée.', reference: 'sms-conflict-1' };
      const first = await client.send('POST', '/sms/outbound', { json: original });
      expect(first.status).toBe(201);
      for (const json of [
        { ...original, to: msisdn(151) },
        { ...original, message: 'Votre bourse d’avril a été versée.' },
      ]) {
        const answer = await client.send('POST', '/sms/outbound', { json });
        expect({ json, status: answer.status, body: answer.body }).toEqual({
          json,
          status: 409,
          body: {
            code: 'RESOURCE_ALREADY_EXIST',
            message: 'an SMS with this reference was already sent to another number or with another text; nothing was sent',
          },
        });
      }
      // The same number and text again is still a retry: the original, nothing new.
      const retry = await client.send('POST', '/sms/outbound', { json: original });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect((await client.send('GET', `/sms/outbound?to=${encodeURIComponent(msisdn(151))}`)).body.items).toEqual([]);
      expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.sms_messages WHERE reference = 'sms-conflict-1'`)).toBe(1);
    });

    it('answers a reused reference with another number or text as a conflict in a batch, message by message', async () => {
      const used = { to: msisdn(160), message: 'Bourse versée.', reference: 'batch-conflict-used' };
      const single = await client.send('POST', '/sms/outbound', { json: used });
      expect(single.status).toBe(201);
      const messages = [
        { to: msisdn(161), message: 'Bourse versée.', reference: 'batch-conflict-new' },
        { ...used, to: msisdn(162) },
        used,
        // The same reference twice in one batch: the second, with another text, is the conflict.
        { to: msisdn(163), message: 'Premier texte', reference: 'batch-conflict-twice' },
        { to: msisdn(163), message: 'Second texte', reference: 'batch-conflict-twice' },
      ];
      const answer = await client.send('POST', '/sms/outbound/batch', { json: { messages } });
      expect(answer.status).toBe(200);
      const conflict = {
        code: 'RESOURCE_ALREADY_EXIST',
        message: 'an SMS with this reference was already sent to another number or with another text; nothing was sent',
      };
      expect(answer.body.items).toEqual([
        { reference: 'batch-conflict-new', outcome: 'SENT', sms: expect.objectContaining({ to: msisdn(161) }) },
        { reference: 'batch-conflict-used', outcome: 'CONFLICT', error: conflict },
        { reference: 'batch-conflict-used', outcome: 'ALREADY_SENT', sms: single.body },
        { reference: 'batch-conflict-twice', outcome: 'SENT', sms: expect.objectContaining({ message: 'Premier texte' }) },
        { reference: 'batch-conflict-twice', outcome: 'CONFLICT', error: conflict },
      ]);
      expect((await client.send('GET', `/sms/outbound?to=${encodeURIComponent(msisdn(162))}`)).body.items).toEqual([]);
      expect(
        (await client.send('GET', `/sms/outbound?to=${encodeURIComponent(msisdn(163))}`)).body.items.map((item: { message: string }) => item.message),
      ).toEqual(['Premier texte']);
    });

    it('refuses a bad batch as a whole, naming the message and field, and sends none of it', async () => {
      const good = { to: msisdn(140), message: 'Bonjour', reference: 'bad-batch-good' };
      for (const [json, field] of [
        [{}, 'messages'],
        [{ messages: [] }, 'messages'],
        [{ messages: Array.from({ length: 101 }, (_, index) => ({ ...good, reference: `r${index}` })) }, 'messages'],
        [{ messages: [good, { to: '76123456', message: 'x', reference: 'r' }] }, 'messages[1].to'],
        [{ messages: [good, { to: msisdn(1), message: 'x' }] }, 'messages[1].reference'],
        [{ messages: [good, { to: msisdn(1), message: '', reference: 'r' }] }, 'messages[1].message'],
      ] as const) {
        const answer = await client.send('POST', '/sms/outbound/batch', { json });
        expect({ field, status: answer.status, code: answer.body.code }).toEqual({ field, status: 400, code: 'INVALID_REQUEST' });
        expect(answer.body.errors.map((entry: { field: string }) => entry.field)).toContain(field);
      }
      expect(await db.scalar(`SELECT count(*) AS value FROM mobile_money.sms_messages WHERE reference = 'bad-batch-good'`)).toBe(0);
    });

    it('refuses a bad SMS, naming the field', async () => {
      for (const [json, field] of [
        [{ to: '76123456', message: 'x' }, 'to'],
        [{ to: msisdn(1), message: '' }, 'message'],
        [{ to: msisdn(1), message: 'x'.repeat(481) }, 'message'],
        [{ to: msisdn(1), message: 'x', reference: '' }, 'reference'],
        [{ to: msisdn(1) }, 'message'],
      ] as const) {
        const answer = await client.send('POST', '/sms/outbound', { json });
        expect({ field, status: answer.status, code: answer.body.code }).toEqual({
          field,
          status: 400,
          code: 'INVALID_REQUEST',
        });
        expect(answer.body.errors.map((entry: { field: string }) => entry.field)).toContain(field);
      }
      const noRecipient = await client.send('GET', '/sms/outbound');
      expect(noRecipient.status).toBe(400);
      expect(noRecipient.body.errors).toEqual([{ field: 'to', problem: 'is required' }]);
      const twoRecipients = await client.send('GET', `/sms/outbound?to=${encodeURIComponent(msisdn(1))}&to=${encodeURIComponent(msisdn(2))}`);
      expect(twoRecipients.status).toBe(400);
      expect(twoRecipients.body.errors).toEqual([{ field: 'to', problem: 'must be given once' }]);
    });
  });
});
