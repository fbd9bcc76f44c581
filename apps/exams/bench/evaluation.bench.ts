/**
 * Evaluation over a million individual results: aggregation (one pass over the rows) plus every
 * statistic on the resulting counts. Budget: well under 500 ms.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only apps/exams/bench/evaluation.bench.ts [rows] [runs]
 *
 * Rows are generated in memory once (not timed); each run times aggregateResults + evaluateCounts.
 * The figure reported is the median of the runs after one warm-up run.
 */
import { performance } from 'node:perf_hooks';
import { aggregateResults, evaluateCounts, type ExamResultRow } from '../src/evaluation/statistics';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 9);
const SCHOOLS = 40;

/** mulberry32: deterministic data, so runs compare across machines and commits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(count: number): ExamResultRow[] {
  const next = random(42);
  const schools = Array.from({ length: SCHOOLS }, (_, i) => `school-${String(i + 1).padStart(3, '0')}`);
  const rows: ExamResultRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const school = Math.floor(next() * SCHOOLS);
    const recipient = next() < 0.55;
    const months = recipient ? 1 + Math.floor(next() * 24) : 0;
    // Pass probability varies by school and rises a little with months of stipend.
    const passProbability = 0.35 + 0.01 * (school % 10) + (recipient ? 0.1 + 0.004 * months : 0);
    rows[i] = { recipient, passed: next() < passProbability, stratum: schools[school], months };
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function main(): void {
  const rows = generate(ROWS);
  const totals: number[] = [];
  const aggregation: number[] = [];
  const statistics: number[] = [];
  let checksum = 0;
  for (let run = 0; run <= RUNS; run++) {
    const start = performance.now();
    const counts = aggregateResults(rows);
    const aggregated = performance.now();
    const report = evaluateCounts(counts);
    const end = performance.now();
    if (report.overall.fisherExact.estimable) checksum += report.overall.fisherExact.p;
    if (run === 0) continue; // warm-up: let the JIT compile the hot loops
    totals.push(end - start);
    aggregation.push(aggregated - start);
    statistics.push(end - aggregated);
  }
  const format = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(
    `evaluation of ${ROWS.toLocaleString('en-US')} results (${SCHOOLS} strata, months 0-24), ${RUNS} runs after warm-up, node ${process.version}`,
  );
  console.log(
    `  aggregation + statistics: median ${format(median(totals))} (min ${format(Math.min(...totals))}, max ${format(Math.max(...totals))})`,
  );
  console.log(`  aggregation:              median ${format(median(aggregation))}`);
  console.log(`  statistics on counts:     median ${format(median(statistics))}`);
  if (!Number.isFinite(checksum)) throw new Error('non-finite result');
}

main();
