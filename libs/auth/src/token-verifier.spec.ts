import { SignJWT } from 'jose';
import { signDevelopmentToken, TokenVerifier } from './token-verifier';

const secret = 'a-development-secret-of-enough-length!';

describe('TokenVerifier (HS256)', () => {
  const verifier = new TokenVerifier({ secret });

  it('reads sub, roles and schoolIds from a valid token', async () => {
    const token = await signDevelopmentToken({ sub: 'amadou', roles: ['finance_approver'], schoolIds: ['s1'] }, secret);
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'amadou', roles: ['finance_approver'], schoolIds: ['s1'] });
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
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(expired)).rejects.toThrow('the token has expired');
    const anonymous = await new SignJWT({ roles: [] }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(anonymous)).rejects.toThrow('the token has no subject');
  });

  it('refuses alg none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', roles: ['auditor'] })).toString('base64url');
    await expect(verifier.verify(`${header}.${body}.`)).rejects.toThrow('the token is not valid');
  });
});
