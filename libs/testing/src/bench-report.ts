import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPORT = path.resolve(__dirname, '../../../docs/benchmarks.md');

/** One line naming the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  let postgres = '';
  try {
    postgres = execSync('psql --version', { encoding: 'utf8' }).trim();
  } catch {
    postgres = 'psql not found';
  }
  return `${os.cpus().length} × ${cpu}, ${memory} RAM, ${os.platform()} ${os.release()}, Node ${process.version}, ${postgres}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Rewrites one benchmark's section of docs/benchmarks.md (between its markers), leaving the other
 * sections as they are. `body` is Markdown; the machine and date are added here.
 */
export function recordBenchmark(section: string, title: string, body: string): void {
  const start = `<!-- bench:${section}:start -->`;
  const end = `<!-- bench:${section}:end -->`;
  const block = [
    start,
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
    '',
    body.trim(),
    end,
  ].join('\n');
  let report = existsSync(REPORT)
    ? readFileSync(REPORT, 'utf8')
    : '# Benchmarks\n\nEach section is rewritten by its `npm run bench:*` command; `npm run bench` runs them all.\n';
  const from = report.indexOf(start);
  const to = report.indexOf(end);
  report = from >= 0 && to > from ? report.slice(0, from) + block + report.slice(to + end.length) : `${report.trimEnd()}\n\n${block}\n`;
  writeFileSync(REPORT, report);
}

/**
 * Prints the one line `npm run bench` collects from each run (see infra/scripts/bench-all.ts):
 * the headline figures of this run, by name, with their units.
 */
export function reportBenchResult(section: string, figures: Record<string, number>, units: Record<string, string> = {}): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ section, figures, units })}\n`);
}
