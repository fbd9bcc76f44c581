/**
 * `npm run bench`: runs every `bench:*` script of package.json several times (3 by default), one
 * after the other, and writes the median of each figure to the "Summary" section of
 * docs/benchmarks.md (with the machine and the date, through recordBenchmark).
 *
 *   npm run bench [-- --runs 5] [-- --only import,kafka]
 *
 * THE CONTRACT A BENCHMARK FOLLOWS (so this runner can collect its figures):
 *
 *   As its last line of results, print one line to stdout:
 *
 *     BENCH_RESULT {"section":"import","figures":{"seconds":41.2,"rowsPerSecond":2427},"units":{"seconds":"s","rowsPerSecond":"rows/s"}}
 *
 *   i.e. `console.log('BENCH_RESULT ' + JSON.stringify({ section, figures, units }))`, where
 *   - `section` is the name the bench gives recordBenchmark (its section of docs/benchmarks.md);
 *   - `figures` maps each headline figure's name to this run's value (a finite number);
 *   - `units` (optional) maps figure names to units ("ms", "s", "rows/s", "MiB").
 *   Each run still rewrites its own detailed section as it does today; this runner adds the summary
 *   of medians across runs. While it runs a bench it sets BENCH_RUN (1, 2, 3…) and BENCH_RUNS
 *   (the total) in the bench's environment, for a bench that wants to know.
 *
 * A bench that prints no BENCH_RESULT line is still run and timed (its wall-clock median is
 * reported); a `bench:*` script whose file does not exist yet is reported as missing. The exit
 * code is 1 if any run failed (non-zero exit, or a malformed BENCH_RESULT line).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { recordBenchmark } from '@scholarpay/testing';
import { REPO_ROOT } from './lib/dev-secrets';
import { BenchResult, formatFigure, parseBenchResult, summariseRuns } from './lib/bench-results';

const RUN_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 45 * 60 * 1000);

interface BenchScript {
  name: string;
  command: string;
  /** The TypeScript file the script runs, when it names one. */
  file: string | null;
}

interface RunOutcome {
  ok: boolean;
  seconds: number;
  result: BenchResult | null;
  problem?: string;
}

function benchScripts(): BenchScript[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return Object.entries(manifest.scripts ?? {})
    .filter(([name]) => name.startsWith('bench:'))
    .map(([name, command]) => ({
      name: name.slice('bench:'.length),
      command,
      file: /(\S+\.ts)\b/.exec(command)?.[1] ?? null,
    }));
}

function runOnce(script: BenchScript, run: number, runs: number): Promise<RunOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `bench:${script.name}`], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_RUN: String(run), BENCH_RUNS: String(runs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const prefix = `[${script.name} ${run}/${runs}] `;
    const relay = (target: NodeJS.WriteStream, capture: boolean) => {
      let pending = '';
      return (chunk: Buffer) => {
        const text = chunk.toString();
        if (capture) stdout += text;
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) target.write(`${prefix}${line}\n`);
      };
    };
    child.stdout.on('data', relay(process.stdout, true));
    child.stderr.on('data', relay(process.stderr, false));
    const timer = setTimeout(() => {
      process.stderr.write(`${prefix}still running after ${RUN_TIMEOUT_MS / 60000} min: stopping it\n`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      if (code !== 0) {
        resolve({
          ok: false,
          seconds,
          result: null,
          problem: signal ? `killed by ${signal}` : `exit code ${code}`,
        });
        return;
      }
      try {
        resolve({ ok: true, seconds, result: parseBenchResult(stdout) });
      } catch (error) {
        resolve({ ok: false, seconds, result: null, problem: (error as Error).message });
      }
    });
  });
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { runs: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(runs) || runs < 3) {
    throw new Error(
      `--runs must be a whole number of at least 3 (a median needs them), got "${values.runs}"`,
    );
  }
  let scripts = benchScripts();
  if (values.only) {
    const names = values.only.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !scripts.some((script) => script.name === name));
    if (unknown.length > 0) {
      throw new Error(
        `--only: no bench:${unknown.join(', bench:')} script; have ${scripts.map((s) => s.name).join(', ')}`,
      );
    }
    scripts = scripts.filter((script) => names.includes(script.name));
  }

  const rows: string[] = [];
  const notes: string[] = [];
  let failed = false;
  for (const script of scripts) {
    if (script.file && !existsSync(path.join(REPO_ROOT, script.file))) {
      process.stdout.write(`bench:${script.name}: ${script.file} does not exist yet — reported as missing\n`);
      rows.push(`| ${script.name} | — | — | — | — | missing (\`${script.file}\` does not exist yet) |`);
      continue;
    }
    const outcomes: RunOutcome[] = [];
    for (let run = 1; run <= runs; run++) {
      process.stdout.write(`\n=== bench:${script.name}, run ${run} of ${runs}\n`);
      const outcome = await runOnce(script, run, runs);
      outcomes.push(outcome);
      if (!outcome.ok) {
        failed = true;
        process.stderr.write(`bench:${script.name} run ${run} failed: ${outcome.problem}\n`);
      }
    }
    const succeeded = outcomes.filter((outcome) => outcome.ok);
    const failures = outcomes.filter((outcome) => !outcome.ok);
    const status =
      failures.length === 0
        ? `${runs} runs`
        : `${succeeded.length} of ${runs} runs succeeded; ${escapeCell([...new Set(failures.map((f) => f.problem ?? ''))].join('; '))}`;
    const wall = summariseRuns(
      succeeded.map((outcome) => ({ section: script.name, figures: { wall: outcome.seconds } })),
    );
    const results = succeeded
      .map((outcome) => outcome.result)
      .filter((result): result is BenchResult => result !== null);
    const section = results[0]?.section;
    for (const figure of summariseRuns(results)) {
      rows.push(
        `| ${script.name}${section && section !== script.name ? ` (${section})` : ''} | ${escapeCell(figure.name)} | ` +
          `**${formatFigure(figure.median)}** | ${formatFigure(figure.min)} – ${formatFigure(figure.max)} | ${escapeCell(figure.unit)} | ${status} |`,
      );
    }
    if (results.length === 0 && succeeded.length > 0) {
      notes.push(
        `bench:${script.name} printed no \`BENCH_RESULT\` line, so only its wall-clock time is summarised.`,
      );
    }
    if (wall.length > 0) {
      const [time] = wall;
      rows.push(
        `| ${script.name} | wall-clock time of the whole run | **${formatFigure(time.median)}** | ` +
          `${formatFigure(time.min)} – ${formatFigure(time.max)} | s | ${status} |`,
      );
    } else {
      rows.push(`| ${script.name} | — | — | — | — | failed: ${status} |`);
    }
  }

  const body = [
    `Median of ${runs} runs of each \`npm run bench:*\` (\`npm run bench\`); range is the lowest and highest run. ` +
      'The detailed sections above hold the last run of each.',
    '',
    '| bench | figure | median | range | unit | runs |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...rows,
    ...(notes.length ? ['', ...notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
  recordBenchmark('summary', 'Summary', body);
  process.stdout.write(`\n${body}\n\nwrote the Summary section of docs/benchmarks.md\n`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
