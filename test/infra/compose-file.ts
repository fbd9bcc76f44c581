import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a compose service this test reads. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number)[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export class InterpolationError extends Error {}

/**
 * Compose's variable interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}])*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      match,
      braced: string | undefined,
      operator: string | undefined,
      argument: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = env[name];
      const unset = value === undefined;
      const unsetOrEmpty = unset || value === '';
      switch (operator) {
        case undefined:
          return value ?? '';
        case ':-':
          return unsetOrEmpty ? argument! : value!;
        case '-':
          return unset ? argument! : value!;
        case ':?':
          if (unsetOrEmpty) throw new InterpolationError(`${name}: ${argument || 'required'}`);
          return value!;
        case '?':
          if (unset) throw new InterpolationError(`${name}: ${argument || 'required'}`);
          return value!;
        case ':+':
          return unsetOrEmpty ? '' : argument!;
        case '+':
          return unset ? '' : argument!;
        default:
          throw new InterpolationError(`unsupported interpolation ${match}`);
      }
    },
  );
}

/** Reads a compose file the way `docker compose` does: YAML with merge keys, then interpolation. */
export function loadComposeFile(file: string, env: Record<string, string | undefined>): ComposeFile {
  const document: unknown = parse(readFileSync(file, 'utf8'), { merge: true });
  return interpolateDeep(document, env) as ComposeFile;
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

/** A service's environment as the container sees it: every value a string. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
}

/** KEY=VALUE lines of an env file; blank lines and # comments skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`not KEY=VALUE: ${line}`);
    entries.push([
      line.slice(0, at).trim(),
      line
        .slice(at + 1)
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2'),
    ]);
  }
  return Object.fromEntries(entries);
}

export function dependenciesOf(service: ComposeService): Record<string, string | undefined> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(dependsOn).map(([name, spec]) => [name, spec?.condition ?? 'service_started']),
  );
}

/** Container ports a service publishes ("3001:3001", "127.0.0.1:3001:3001/tcp", 3001). */
export function containerPortsOf(service: ComposeService): number[] {
  return (service.ports ?? []).map((entry) => {
    const withoutProtocol = String(entry).split('/')[0];
    const parts = withoutProtocol.split(':');
    return Number(parts[parts.length - 1]);
  });
}
