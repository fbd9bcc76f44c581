import { Client } from 'pg';
import type { RunningServiceApp } from '@scholarpay/platform';
import { startMobileMoneyService } from '../src/mobile-money.app';
import { CLIENT_ID, CLIENT_SECRET, ProviderClient, providerEnv } from './provider-test-kit';

describe('mobile-money OAuth2 tokens', () => {
  let env: Record<string, string>;
  let service: RunningServiceApp;
  let client: ProviderClient;

  beforeAll(async () => {
    env = await providerEnv('oauth');
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
  });

  afterAll(async () => {
    await service?.app.close();
  });

  it('issues a bearer token for the merchant credentials', async () => {
    const answer = await client.requestToken(CLIENT_ID, CLIENT_SECRET);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 40 without credentials and 41 with wrong ones', async () => {
    const none = await client.raw('POST', '/oauth/v3/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 40, message: 'Missing credentials', description: expect.any(String) });
    for (const [id, secret] of [
      [CLIENT_ID, 'wrong-secret'],
      ['someone-else', CLIENT_SECRET],
    ]) {
      const wrong = await client.requestToken(id, secret);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 41, message: 'Invalid credentials' });
    }
    const garbled = await client.raw('POST', '/oauth/v3/token', {
      headers: { Authorization: 'Basic bm8tY29sb24=', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(garbled.body).toMatchObject({ code: 41 });
    // Basic credentials that are not base64 at all are invalid credentials, not missing ones.
    const notBase64 = await client.raw('POST', '/oauth/v3/token', {
      headers: { Authorization: 'Basic !!!', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect({ status: notBase64.status, body: notBase64.body }).toEqual({
      status: 401,
      body: { code: 41, message: 'Invalid credentials', description: expect.any(String) },
    });
  });

  it('refuses another grant type', async () => {
    const answer = await client.requestToken(CLIENT_ID, CLIENT_SECRET, 'password');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'INVALID_GRANT_TYPE' });
  });

  it('guards every provider and admin route: 40 without a token, 41 with an unknown one', async () => {
    for (const [method, path] of [
      ['GET', '/account/balance'],
      ['GET', '/transactions'],
      ['GET', '/cashins/3f0c4b1e-9a57-4c1f-8f1e-0d3c2b1a0f9e'],
      ['GET', '/accountholders/%2B22376123456/active'],
      ['GET', '/sms/outbound?to=%2B22376123456'],
      ['GET', '/admin/faults'],
      ['POST', '/admin/float'],
    ]) {
      const none = await client.raw(method, path);
      expect({ path, status: none.status, code: none.body.code }).toEqual({ path, status: 401, code: 40 });
      const unknown = await client.raw(method, path, {
        headers: { Authorization: 'Bearer not-a-token-we-issued' },
      });
      expect({ path, status: unknown.status, code: unknown.body.code }).toEqual({
        path,
        status: 401,
        code: 41,
      });
    }
  });

  it('describes its tokens in OpenAPI as the opaque tokens of its OAuth endpoint, not as JWTs', async () => {
    const document = (await client.raw('GET', '/docs/json')).body as {
      components: { securitySchemes: Record<string, { bearerFormat?: string; description?: string }> };
    };
    expect(document.components.securitySchemes.bearer).toMatchObject({
      bearerFormat: 'opaque',
      description: expect.stringContaining('POST /oauth/v3/token'),
    });
  });

  it('keeps tokens across a restart and answers 42 once one has expired', async () => {
    const token = (await client.requestToken(CLIENT_ID, CLIENT_SECRET)).body.access_token as string;
    await service.app.close();
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    client.token = token;
    expect((await client.send('GET', '/account/balance')).status).toBe(200);

    // Expire it in the database and restart (so no in-memory cache remembers it as valid).
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`UPDATE mobile_money.access_tokens SET expires_at = now() - interval '1 second'`);
      const stored = await db.query(`SELECT token_hash FROM mobile_money.access_tokens`);
      // Only hashes are stored, never the token itself.
      expect(
        stored.rows.every(
          (row: { token_hash: string }) => row.token_hash !== token && /^[0-9a-f]{64}$/.test(row.token_hash),
        ),
      ).toBe(true);
    } finally {
      await db.end();
    }
    await service.app.close();
    service = await startMobileMoneyService(env, { port: 0 });
    client = new ProviderClient(service.url);
    client.token = token;
    const expired = await client.send('GET', '/account/balance');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 42, message: 'Expired credentials' });
  });

  it('expires a cached token at its lifetime', async () => {
    const shortLived = await startMobileMoneyService(
      { ...env, MOBILE_MONEY_TOKEN_TTL_SECONDS: '1' },
      { port: 0 },
    );
    try {
      const shortClient = new ProviderClient(shortLived.url);
      const issued = await shortClient.requestToken(CLIENT_ID, CLIENT_SECRET);
      expect(issued.body.expires_in).toBe(1);
      shortClient.token = issued.body.access_token;
      expect((await shortClient.send('GET', '/account/balance')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const expired = await shortClient.send('GET', '/account/balance');
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe(42);
    } finally {
      await shortLived.app.close();
    }
  });

  it('refuses to start without its required configuration, naming the variable', async () => {
    const { MOBILE_MONEY_CALLBACK_SECRET: _secret, ...missing } = env;
    await expect(startMobileMoneyService(missing, { port: 0 })).rejects.toThrow(
      /MOBILE_MONEY_CALLBACK_SECRET/,
    );
    await expect(
      startMobileMoneyService({ ...env, MOBILE_MONEY_FAULTS: '{"global":{"errorRate":3}}' }, { port: 0 }),
    ).rejects.toThrow(/MOBILE_MONEY_FAULTS.*global\.errorRate/);
  });
});
