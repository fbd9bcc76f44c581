import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where `npm start` keeps local state: broker data, development secrets. Git-ignored. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const DATA_DIR = path.join(REPO_ROOT, '.data');

/**
 * Reads a development secret from `.data/<name>`, creating it (random, mode 600) on first use, so
 * `npm start` and `npm run token` agree without anyone choosing a secret. Never used when the
 * variable is set in the environment: production secrets come from the environment only.
 */
export function developmentSecret(
  name: string,
  generate: () => string = () => randomBytes(48).toString('base64url'),
): {
  value: string;
  file: string;
  created: boolean;
} {
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const file = path.join(DATA_DIR, name);
  try {
    // 'wx': fails if the file exists, so two concurrent first runs cannot overwrite each other.
    writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
    return { value: readSecret(file), file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const value = readSecret(file);
  if (!value)
    throw new Error(
      `${path.relative(process.cwd(), file)} is empty: delete it and run again to generate a new one`,
    );
  return { value, file, created: false };
}

function readSecret(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** JWT_SECRET from the environment, else the development secret in `.data/jwt-secret`. */
export function jwtSecret(env: NodeJS.ProcessEnv = process.env): { value: string; source: string } {
  if (env.JWT_SECRET) return { value: env.JWT_SECRET, source: 'JWT_SECRET' };
  const secret = developmentSecret('jwt-secret');
  return { value: secret.value, source: path.relative(process.cwd(), secret.file) };
}

export interface ProviderCredentials {
  MOBILE_MONEY_CLIENT_ID: string;
  MOBILE_MONEY_CLIENT_SECRET: string;
  MOBILE_MONEY_CALLBACK_SECRET: string;
}

/**
 * Credentials payments uses to call the mock provider (OAuth2 client credentials) and to verify its
 * callbacks (HMAC). Each comes from the environment when set, otherwise from `.data/`.
 */
export function providerCredentials(env: NodeJS.ProcessEnv = process.env): ProviderCredentials {
  const pick = (variable: keyof ProviderCredentials, file: string, generate?: () => string) =>
    env[variable] || developmentSecret(file, generate).value;
  return {
    MOBILE_MONEY_CLIENT_ID: pick(
      'MOBILE_MONEY_CLIENT_ID',
      'mobile-money-client-id',
      () => `scholarpay-dev-${randomBytes(6).toString('hex')}`,
    ),
    MOBILE_MONEY_CLIENT_SECRET: pick('MOBILE_MONEY_CLIENT_SECRET', 'mobile-money-client-secret'),
    MOBILE_MONEY_CALLBACK_SECRET: pick('MOBILE_MONEY_CALLBACK_SECRET', 'mobile-money-callback-secret'),
  };
}
