/**
 * `npm run demo`: the Gao story, told to a running `npm start` through the public APIs only.
 *
 * Two schools in the north and one in Bamako enrol about 400 students by CSV (a few bad rows each);
 * a programme favours students from the northern regions; two months of stipends are prepared by
 * one finance officer and approved by another while the mobile-money provider misbehaves; exam
 * results come in; and the pass rates of recipients and non-recipients are compared, with their
 * statistics. Run it again: it finds what exists and pays no one twice.
 *
 * Options (after `npm run demo --`):
 *   --students <n>   how many students the schools enrol (default 400)
 *   --seed <n>       the seed of the story (default 2015): the same seed tells the same story
 *   --no-faults      leave the provider's fault injection off
 * Environment: JWT_SECRET (else .data/jwt-secret), MOBILE_MONEY_CLIENT_ID / MOBILE_MONEY_CLIENT_SECRET
 * (else .data/mobile-money-client-id / -secret), as `npm start` uses them; <APP>_PORT and HOST as
 * for `npm start`; PAYMENTS_PROVIDER_TIMEOUT_MS if payments runs with a non-default provider timeout.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Roles } from '@scholarpay/auth';
import { GaoStoryResult, runGaoStory, ServiceUrls } from '../../test/story/gao-story';
import { HttpClient, tokenFor } from '../../test/story/http';
import { formatPassRateReport, PassRateReport } from '../../test/story/pass-rate-table';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DATA_DIR = path.join(REPO_ROOT, '.data');
const START_HINT =
  'Start them with `npm start` (in another terminal), wait for "ScholarPay is running", then run `npm run demo` again.';

class DemoError extends Error {}

const APPS: { app: string; key: keyof ServiceUrls; port: number }[] = [
  { app: 'enrolment', key: 'enrolment', port: 3001 },
  { app: 'eligibility', key: 'eligibility', port: 3002 },
  { app: 'payments', key: 'payments', port: 3003 },
  { app: 'exams', key: 'exams', port: 3004 },
  { app: 'mobile-money', key: 'mobileMoney', port: 3005 },
];

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** A value from the environment, else from the file `npm start` keeps under .data/, else a clear error. */
function secret(variable: string, file: string): string {
  const fromEnv = process.env[variable];
  if (fromEnv) return fromEnv;
  const location = path.join(DATA_DIR, file);
  if (!existsSync(location)) {
    throw new DemoError(
      `${variable} is not set and ${path.relative(process.cwd(), location)} does not exist: ` +
        `the demo uses the secrets \`npm start\` generated. ${START_HINT}`,
    );
  }
  const value = readFileSync(location, 'utf8').trim();
  if (!value) throw new DemoError(`${path.relative(process.cwd(), location)} is empty`);
  return value;
}

function serviceUrls(): ServiceUrls {
  const host =
    process.env.HOST && !['0.0.0.0', '::'].includes(process.env.HOST) ? process.env.HOST : '127.0.0.1';
  const urls = {} as ServiceUrls;
  for (const { app, key, port } of APPS) {
    const variable = `${app.toUpperCase().replace(/-/g, '_')}_PORT`;
    const chosen = Number(process.env[variable] || port);
    if (!Number.isInteger(chosen) || chosen < 1 || chosen > 65535)
      throw new DemoError(`${variable} must be a port number`);
    urls[key] = `http://${host}:${chosen}`;
  }
  return urls;
}

/** Every service must answer /health/live before the story starts. */
async function checkServicesRunning(urls: ServiceUrls): Promise<void> {
  const down: string[] = [];
  await Promise.all(
    APPS.map(async ({ app, key }) => {
      const response = await fetch(`${urls[key]}/health/live`, { signal: AbortSignal.timeout(5000) }).catch(
        () => null,
      );
      if (!response?.ok)
        down.push(`${app} (${urls[key]}${response ? `: HTTP ${response.status}` : ': no answer'})`);
    }),
  );
  if (down.length > 0) {
    throw new DemoError(`ScholarPay is not running: ${down.join(', ')} did not answer.\n${START_HINT}`);
  }
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new DemoError(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

/** The chart and the CSV need a token: fetch them once as the evaluator and keep a copy under .data/demo/. */
async function saveArtefacts(
  result: GaoStoryResult,
  jwtSecret: string,
): Promise<{ svg: string; csv: string } | null> {
  const http = new HttpClient({ requestTimeoutMs: 30_000, patienceMs: 60_000 });
  const token = await tokenFor({ sub: 'boubacar.sidibe', roles: [Roles.evaluator] }, jwtSecret);
  const headers = { authorization: `Bearer ${token}` };
  try {
    const svg = await http.request<string>(result.links.chartSvg, { headers, text: true });
    const csv = await http.request<string>(result.links.csv, { headers, text: true });
    const directory = path.join(DATA_DIR, 'demo');
    mkdirSync(directory, { recursive: true });
    const base = `pass-rates-${result.examSession.code}-by-school`;
    const files = { svg: path.join(directory, `${base}.svg`), csv: path.join(directory, `${base}.csv`) };
    writeFileSync(files.svg, svg.body);
    writeFileSync(files.csv, csv.body);
    return files;
  } catch (error) {
    say(`  (could not save the chart and CSV: ${(error as Error).message})`);
    return null;
  }
}

function yesNo(ok: boolean): string {
  return ok ? 'yes' : 'NO';
}

async function main(): Promise<void> {
  const usage = 'usage: npm run demo [-- --students 400] [-- --seed 2015] [-- --no-faults]';
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        students: { type: 'string' },
        seed: { type: 'string' },
        'no-faults': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    throw new DemoError(`${(error as Error).message}\n${usage}`);
  }
  const { values } = parsed;
  if (values.help) {
    say(usage);
    return;
  }
  const students = positiveInteger('students', values.students, 400);
  if (students < 12) throw new DemoError('--students must be at least 12');
  const seed = positiveInteger('seed', values.seed, 2015);
  const urls = serviceUrls();
  const jwtSecret = secret('JWT_SECRET', 'jwt-secret');
  const provider = {
    clientId: secret('MOBILE_MONEY_CLIENT_ID', 'mobile-money-client-id'),
    clientSecret: secret('MOBILE_MONEY_CLIENT_SECRET', 'mobile-money-client-secret'),
  };
  await checkServicesRunning(urls);

  // An injected "timeout" must outlast payments' own patience with the provider to be one.
  const providerTimeoutMs = positiveInteger(
    'PAYMENTS_PROVIDER_TIMEOUT_MS',
    process.env.PAYMENTS_PROVIDER_TIMEOUT_MS,
    10_000,
  );
  const started = Date.now();
  const result = await runGaoStory({
    urls,
    jwtSecret,
    provider,
    students,
    seed,
    log: (line) => say(line),
    faults: values['no-faults'] ? false : { hangMs: providerTimeoutMs + 2_000 },
    waitTimeoutMs: 20 * 60_000,
  });

  const { summary, checks } = result;
  say('');
  say('▶ Where the money went');
  say(
    `  ${summary.payouts.paid.length} stipends paid, ${summary.payouts.failed.length} failed, ` +
      `${summary.payouts.excluded.length} not sent (no phone number); ${summary.sms} SMS to the students paid`,
  );
  const ledger = summary.ledger;
  say(
    `  ledger of ${result.programme.code}: funded ${ledger.funded.toLocaleString('fr-FR')} XOF = remaining ${ledger.remaining.toLocaleString('fr-FR')}` +
      ` + committed ${ledger.committed.toLocaleString('fr-FR')} + in flight ${ledger.inFlight.toLocaleString('fr-FR')} + paid ${ledger.paid.toLocaleString('fr-FR')}`,
  );
  say(
    `  every paid line credited exactly once by the provider:  ${yesNo(checks.paidLinesWithoutExactlyOneSuccess.length === 0)}`,
  );
  say(
    `  no failed line credited:                                ${yesNo(checks.failedLinesWithSuccess.length === 0)}`,
  );
  say(`  nobody paid twice for a month:                          ${yesNo(checks.paidTwice.length === 0)}`);
  say(`  one SMS per payout:                                     ${yesNo(checks.smsProblems.length === 0)}`);
  say(`  ledger balanced (trial balance):                        ${yesNo(checks.trialBalance.balanced)}`);
  say(
    `  reconciliation clean:                                   ${yesNo(checks.reconciliations.every((report) => report.mismatches.length === 0))}`,
  );

  say('');
  say('▶ Did the stipends help?');
  say('');
  say(formatPassRateReport(result.evaluation as PassRateReport));
  say('');
  const files = await saveArtefacts(result, jwtSecret);
  say(
    '  The chart and the numbers (the API needs an evaluator token, e.g. TOKEN=$(npm run -s token -- --sub you --role evaluator)):',
  );
  say(`    chart (SVG): ${result.links.chartSvg}`);
  say(`    CSV:         ${result.links.csv}`);
  if (files) {
    say(`    saved here:  ${path.relative(process.cwd(), files.svg)}`);
    say(`                 ${path.relative(process.cwd(), files.csv)}`);
  }
  say('');
  say(`Done in ${Math.round((Date.now() - started) / 1000)} s. Run it again: nothing is paid twice.`);
}

main().catch((error: unknown) => {
  if (error instanceof DemoError) {
    process.stderr.write(`\n✖ ${error.message}\n`);
  } else {
    process.stderr.write(
      `\n✖ The demo stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    const cause = (error as { cause?: { code?: string } })?.cause;
    if (cause?.code === 'ECONNREFUSED') process.stderr.write(`${START_HINT}\n`);
  }
  process.exit(1);
});
