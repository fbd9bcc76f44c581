import { Role, signDevelopmentToken } from '@scholarpay/auth';

/** The HS256 secret every service verifies with in tests. */
export const TEST_JWT_SECRET = 'test-secret-for-scholarpay-integration-tests-only';

export function testToken(sub: string, roles: Role[], schoolIds: string[] = []): Promise<string> {
  return signDevelopmentToken({ sub, roles, schoolIds }, TEST_JWT_SECRET);
}

export async function bearer(sub: string, roles: Role[], schoolIds: string[] = []): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${await testToken(sub, roles, schoolIds)}` };
}
