import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { signDevelopmentToken, TokenVerifier } from './token-verifier';

const secret = 'a-development-secret-of-enough-length!';

function httpContext(authorization: string | undefined): { context: ExecutionContext; request: { headers: Record<string, string | undefined>; user?: unknown } } {
  const request = { headers: { authorization } };
  const context = {
    getType: () => 'http',
    getHandler: () => function handler() {},
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(new Reflector(), new TokenVerifier({ secret }));

  it('reads the bearer scheme in any case, as RFC 7235 has it', async () => {
    const token = await signDevelopmentToken({ sub: 'awa', roles: ['auditor'] }, secret);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const { context, request } = httpContext(`${scheme} ${token}`);
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(request.user).toMatchObject({ sub: 'awa' });
    }
  });

  it('answers a missing token or another scheme with 401 AUTH.TOKEN_MISSING', async () => {
    for (const header of [undefined, '', 'Basic YWJjOmRlZg==', 'Bearer', 'Bearer a b']) {
      await expect(guard.canActivate(httpContext(header).context)).rejects.toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });
    }
  });
});
