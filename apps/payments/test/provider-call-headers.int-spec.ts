import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { runWithCorrelation } from '@scholarpay/platform';
import { MobileMoneyClient } from '../src/provider/mobile-money.client';

/**
 * What payments sends the provider to trace a call on both sides: a cash-in carries its payout
 * line's id as the correlation id, other calls the correlation id of the work that made them.
 * A bare HTTP server stands in for the provider: only the request headers are looked at.
 */
describe('provider calls carry a correlation id', () => {
  let server: Server;
  let client: MobileMoneyClient;
  const received: { path: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push({ path: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/oauth/v3/token') {
          res.end(JSON.stringify({ access_token: 'token-for-headers-test', token_type: 'Bearer', expires_in: 3600 }));
        } else if (req.url === '/cashins/lookup') {
          res.end(JSON.stringify({ items: [] }));
        } else {
          res.statusCode = 500;
          res.end(JSON.stringify({ code: 'INTERNAL_ERROR' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new MobileMoneyClient({ baseUrl: `http://127.0.0.1:${port}`, clientId: 'id', clientSecret: 'secret', timeoutMs: 2000, maxSockets: 2 });
  });

  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('names the payout line on its cash-in, and the current work on a status query', async () => {
    const lineId = randomUUID();
    await client.createCashin({ referenceId: lineId, msisdn: '+22376000001', amount: 1000, reference: 'r', description: 'd' });
    const cashin = received.find((request) => request.path === '/cashins');
    expect(cashin?.headers['x-correlation-id']).toBe(lineId);

    await runWithCorrelation({ correlationId: 'approval-corr-1' }, () => client.getCashin(randomUUID()));
    const lookup = received.find((request) => request.path === '/cashins/lookup');
    expect(lookup?.headers['x-correlation-id']).toBe('approval-corr-1');
  });
});
