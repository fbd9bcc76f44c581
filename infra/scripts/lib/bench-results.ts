import { z } from 'zod';

/** The marker a benchmark prints, followed by one JSON object, as its last line of results. */
export const BENCH_RESULT_MARKER = 'BENCH_RESULT ';

export const benchResultSchema = z.object({
  /** The bench's section name in docs/benchmarks.md (the one it passes to recordBenchmark). */
  section: z.string().min(1),
  /** Figure name → value of this run. */
  figures: z.record(z.string().min(1), z.number().refine(Number.isFinite, 'must be a finite number')),
  /** Figure name → unit ("ms", "rows/s", "MiB"…). */
  units: z.record(z.string(), z.string()).optional(),
});

export type BenchResult = z.infer<typeof benchResultSchema>;

/**
 * The last `BENCH_RESULT {...}` line of a run's output. Null when there is none; an error naming
 * the problem when the line is there but malformed (a contract breach the author should hear about).
 */
export function parseBenchResult(output: string): BenchResult | null {
  const lines = output.split('\n').filter((line) => line.startsWith(BENCH_RESULT_MARKER));
  const last = lines[lines.length - 1];
  if (last === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(last.slice(BENCH_RESULT_MARKER.length));
  } catch (error) {
    throw new Error(`BENCH_RESULT line is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = benchResultSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `BENCH_RESULT line does not match the contract: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

export interface FigureSummary {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  values: number[];
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Per figure, the median over the runs that reported it (in the order the figures first appeared).
 * A figure missing from some runs is summarised over the runs that have it.
 */
export function summariseRuns(results: BenchResult[]): FigureSummary[] {
  const order: string[] = [];
  const values = new Map<string, number[]>();
  const units = new Map<string, string>();
  for (const result of results) {
    for (const [name, value] of Object.entries(result.figures)) {
      if (!values.has(name)) {
        order.push(name);
        values.set(name, []);
      }
      values.get(name)!.push(value);
      const unit = result.units?.[name];
      if (unit && !units.has(name)) units.set(name, unit);
    }
  }
  return order.map((name) => {
    const runValues = values.get(name)!;
    return {
      name,
      unit: units.get(name) ?? '',
      median: medianOf(runValues),
      min: Math.min(...runValues),
      max: Math.max(...runValues),
      values: runValues,
    };
  });
}

/** Numbers as a reader wants them in a table: integers with separators, others to 3 significant digits. */
export function formatFigure(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}
