import { SignJWT } from 'jose';
import { signDevelopmentToken, TokenVerifier } from './token-verifier';

const secret = 'a-development-secret-of-enough-length!';

describe('TokenVerifier (HS256)', () => {
  const verifier = new TokenVerifier({ secret });

  it('reads sub, roles and schoolIds from a valid token', async () => {
    const school = '4379b16d-5a3e-4c1f-9d2b-0e8f7a6c5b4d';
    const token = await signDevelopmentToken({ sub: 'amadou', roles: ['finance_approver'], schoolIds: [school] }, secret);
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'amadou', roles: ['finance_approver'], schoolIds: [school] });
  });

  it('keeps school ids in lower case, once each, and refuses a token whose schoolIds are not all UUIDs', async () => {
    const school = '4379b16d-5a3e-4c1f-9d2b-0e8f7a6c5b4d';
    const upper = await signDevelopmentToken({ sub: 'awa', roles: ['school_admin'], schoolIds: [school.toUpperCase(), school] }, secret);
    await expect(verifier.verify(upper)).resolves.toMatchObject({ schoolIds: [school] });
    for (const schoolIds of [['GAO-ESS'], [school, 'x'], 'not-a-list', [42]]) {
      const token = await new SignJWT({ roles: ['school_admin'], schoolIds })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('awa')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
      await expect(verifier.verify(token)).rejects.toThrow("the token's schoolIds must be a list of school ids (UUIDs)");
    }
  });

  it('refuses a subject that could not name a person in an audit row: blank, padded, control characters, too long', async () => {
    for (const sub of [' ', 'amadou ', ' amadou', 'ama\u0000dou', 'line\nFAKE LOG LINE', 'x'.repeat(256)]) {
      const token = await signDevelopmentToken({ sub, roles: ['finance_approver'] }, secret);
      await expect(verifier.verify(token)).rejects.toThrow(/the token has no subject|the token's subject must be printable text/);
    }
    const longest = await signDevelopmentToken({ sub: 'é'.repeat(255), roles: ['auditor'] }, secret);
    await expect(verifier.verify(longest)).resolves.toMatchObject({ sub: 'é'.repeat(255) });
  });

  it('drops roles it does not know', async () => {
    const token = await signDevelopmentToken({ sub: 'x', roles: ['root' as never, 'auditor'] }, secret);
    await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['auditor'] });
  });

  it('refuses a token signed with another secret, an expired one and one without subject', async () => {
    const other = await signDevelopmentToken({ sub: 'x', roles: [] }, 'another-secret-that-is-long-enough!!');
    await expect(verifier.verify(other)).rejects.toThrow('the token is not valid');
    const expired = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 600)
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(expired)).rejects.toThrow('the token has expired');
    const anonymous = await new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(anonymous)).rejects.toThrow('the token has no subject');
  });

  it('refuses a token without an expiry, or issued in the future', async () => {
    const key = new TextEncoder().encode(secret);
    const forever = await new SignJWT({ roles: ['auditor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuedAt().sign(key);
    await expect(verifier.verify(forever)).rejects.toThrow('the token has no expiry (exp)');
    const now = Math.floor(Date.now() / 1000);
    const fromTheFuture = await new SignJWT({ roles: ['auditor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuedAt(now + 10 * 365 * 86400)
      .setExpirationTime(now + 11 * 365 * 86400)
      .sign(key);
    await expect(verifier.verify(fromTheFuture)).rejects.toThrow('the token was issued in the future (iat)');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier({ secret, issuer: 'https://id.scholarpay.ml', audience: 'scholarpay' });
    const key = new TextEncoder().encode(secret);
    const sign = (issuer: string, audience: string) =>
      new SignJWT({ roles: ['auditor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(issuer).setAudience(audience).setExpirationTime('1h').sign(key);
    await expect(strict.verify(await sign('https://id.scholarpay.ml', 'scholarpay'))).resolves.toMatchObject({ sub: 'x' });
    await expect(strict.verify(await sign('https://id.scholarpay.ml', 'another-app'))).rejects.toThrow('the token is not valid');
    await expect(strict.verify(await sign('https://elsewhere', 'scholarpay'))).rejects.toThrow('the token is not valid');
  });

  it('refuses alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', roles: ['auditor'] })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow('the token is not valid');
  });
});
