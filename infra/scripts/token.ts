/**
 * Prints a development bearer token, signed (HS256) with the secret the services verify with:
 * JWT_SECRET when set, otherwise the development secret `npm start` keeps in .data/jwt-secret.
 *
 *   npm run token -- --sub amadou --role finance_approver [--role auditor] [--school <id>] [--expires 8h]
 *   curl -H "Authorization: Bearer $(npm run -s token -- --sub amadou --role finance_approver)" ...
 *
 * The token alone goes to stdout, so it can be captured; everything else goes to stderr.
 */
import { parseArgs } from 'node:util';
import { allRoles, Roles, signDevelopmentToken, type Role } from '@scholarpay/auth';
import { isUuid } from '@scholarpay/contracts';
import { jwtSecret } from './lib/dev-secrets';

const usage = `usage: npm run token -- --sub <user> --role <role> [--role <role> ...] [--school <schoolId> ...] [--expires <lifetime>]

  --sub      who the token is for (the "sub" claim recorded on every change they make)
  --role     one of: ${allRoles.join(', ')} (repeat for several, or separate with commas)
  --school   a school id a school_admin may act on (repeat for several)
  --expires  lifetime such as 30m, 8h, 7d (default 8h)`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        sub: { type: 'string' },
        role: { type: 'string', multiple: true },
        school: { type: 'string', multiple: true },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return null;
  const sub = values.sub?.trim();
  if (!sub) throw new UsageError('--sub is required (who the token is for)');
  const roles = (values.role ?? [])
    .flatMap((role) => role.split(','))
    .map((role) => role.trim())
    .filter(Boolean);
  if (roles.length === 0)
    throw new UsageError(`at least one --role is required; valid roles: ${allRoles.join(', ')}`);
  const unknown = roles.filter((role) => !(allRoles as string[]).includes(role));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((role) => `"${role}"`).join(', ')}; valid roles: ${allRoles.join(', ')}`,
    );
  }
  const expires = values.expires?.trim() ?? '8h';
  if (
    !/^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/i.test(
      expires,
    )
  ) {
    throw new UsageError(
      `--expires "${expires}" is not a lifetime; use a number and a unit, e.g. 30m, 8h, 7d`,
    );
  }
  const schoolIds = (values.school ?? [])
    .flatMap((school) => school.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  const notIds = schoolIds.filter((id) => !isUuid(id));
  if (notIds.length > 0) {
    throw new UsageError(
      `--school takes a school's id (a UUID, as GET /api/v1/schools lists it), not ${notIds.map((id) => `"${id}"`).join(', ')}`,
    );
  }
  return { sub, roles: [...new Set(roles)] as Role[], schoolIds: [...new Set(schoolIds)], expires };
}

async function main(): Promise<void> {
  let claims;
  try {
    claims = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`token: ${error.message}\n\n${usage}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (claims === null) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const secret = jwtSecret();
  if (secret.value.length < 32) {
    process.stderr.write(
      'token: warning: JWT_SECRET is shorter than 32 characters; the services will refuse to start with it\n',
    );
  }
  if (claims.roles.includes(Roles.schoolAdmin) && claims.schoolIds.length === 0) {
    process.stderr.write('token: warning: a school_admin without --school may act on no school\n');
  }
  const token = await signDevelopmentToken(
    { sub: claims.sub, roles: claims.roles, schoolIds: claims.schoolIds, expiresIn: claims.expires },
    secret.value,
  );
  process.stderr.write(
    `token for ${claims.sub} (${claims.roles.join(', ')}${claims.schoolIds.length ? `; schools ${claims.schoolIds.join(', ')}` : ''}), ` +
      `valid ${claims.expires}, signed with ${secret.source}:\n`,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
