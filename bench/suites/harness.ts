/**
 * A thin layer over tinybench 6: run one suite (one `Bench`), turn each completed task into a row
 * with its median latency and, when the task has a byte size, its throughput in MB/s.
 */
import { Bench } from 'tinybench';

/** One measured task. */
export interface Row {
  suite: string;
  task: string;
  /** Median latency of one call, ms. */
  medianMs: number;
  /** Relative margin of error of the mean latency, %. */
  rme: number;
  samples: number;
  /** UTF-8 bytes of original text processed per call, when meaningful. */
  sizeBytes?: number;
  /** sizeBytes / median, in MB (10^6 bytes) per second. */
  mbPerSec?: number;
  /** Free-form parameters (numPerm, size, ...). */
  params?: Record<string, number | string>;
}

/** A task of a suite. */
export interface TaskSpec {
  name: string;
  fn: () => unknown;
  sizeBytes?: number;
  params?: Record<string, number | string>;
}

/** Time budget per task, ms: `SYNDIC_BENCH_TIME` overrides (a quick run uses 100). */
export const TASK_TIME_MS = Number(process.env.SYNDIC_BENCH_TIME ?? 400);

/** Run `tasks` in one tinybench `Bench` and return a row per completed task. */
export async function runSuite(suite: string, tasks: readonly TaskSpec[], options: { time?: number; iterations?: number } = {}): Promise<Row[]> {
  const bench = new Bench({
    name: suite,
    time: options.time ?? TASK_TIME_MS,
    iterations: options.iterations ?? 5,
    warmupTime: Math.min(100, options.time ?? TASK_TIME_MS),
    warmupIterations: 2,
    // Each task's GC debt is paid before it starts, not by the next task.
    setup: () => globalThis.gc?.(),
  });
  for (const task of tasks) bench.add(task.name, task.fn);
  await bench.run();
  const rows: Row[] = [];
  for (const spec of tasks) {
    const result = bench.getTask(spec.name)?.result;
    if (!result || result.state !== 'completed') {
      process.stderr.write(`bench: ${suite} / ${spec.name}: ${result?.state ?? 'missing'}${result?.state === 'errored' ? ` (${result.error.message})` : ''}\n`);
      continue;
    }
    const medianMs = result.latency.p50;
    const row: Row = { suite, task: spec.name, medianMs, rme: result.latency.rme, samples: result.latency.samplesCount };
    if (spec.sizeBytes !== undefined) {
      row.sizeBytes = spec.sizeBytes;
      row.mbPerSec = spec.sizeBytes / 1e6 / (medianMs / 1000);
    }
    if (spec.params) row.params = spec.params;
    rows.push(row);
    process.stderr.write(`  ${suite} / ${spec.name}: ${medianMs.toFixed(3)} ms${row.mbPerSec !== undefined ? `, ${row.mbPerSec.toFixed(1)} MB/s` : ''}\n`);
  }
  return rows;
}

/** Keep a value alive so the optimizer cannot drop the work that made it. */
export let sink = 0;
export function consume(value: number): void {
  sink = (sink + value) | 0;
}
