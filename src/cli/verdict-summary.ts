/**
 * What `filter` and `check` say when they finish: one summary line on stderr counting the records
 * by verdict, the exit code of `check --fail-on-duplicates`, and the hint printed when they would
 * wait for JSONL typed on a terminal.
 */
import type { Verdict } from '../store/verdict.js';
import { EXIT, type CliIo } from './io.js';
import { formatCount } from '../render/shared.js';

/** Counts of the verdicts of one run, in the order the kinds were first seen after `new`. */
export class VerdictTally {
  private readonly counts = new Map<string, number>([['new', 0]]);
  /** Records held back (their verdict is one the run rejects). */
  copies = 0;

  /** Count one verdict; `passed` says whether the run lets the record through. */
  add(verdict: Pick<Verdict, 'verdict'>, passed: boolean): void {
    this.counts.set(verdict.verdict, (this.counts.get(verdict.verdict) ?? 0) + 1);
    if (!passed) this.copies++;
  }

  /** Records that got a verdict. */
  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** `12 new, 3 duplicate, 1 syndicated` (kinds with no record left out, except `new`). */
  describe(): string {
    return [...this.counts]
      .filter(([kind, count]) => kind === 'new' || count > 0)
      .map(([kind, count]) => `${formatCount(count)} ${kind}`)
      .join(', ');
  }
}

/** The summary line: `syndic: check: 16 records: 12 new, 3 duplicate, 1 syndicated` followed by `extra`. */
export function summaryLine(command: string, tally: VerdictTally, extra = ''): string {
  return `syndic: ${command}: ${formatCount(tally.total)} record${tally.total === 1 ? '' : 's'}: ${tally.describe()}${extra}\n`;
}

/** Exit code of `check`: 1 when `--fail-on-duplicates` and some record would be held back, else 0. */
export function checkExitCode(tally: VerdictTally, failOnDuplicates: boolean): number {
  return failOnDuplicates && tally.copies > 0 ? EXIT.duplicatesFound : EXIT.ok;
}

/**
 * When stdin is a terminal, `filter` and `check` would seem to hang: say what they wait for.
 * Written once, before reading, only when stdin is read and is a terminal.
 */
export function hintWhenStdinIsTerminal(command: string, io: CliIo, readsStdin: boolean): void {
  if (!readsStdin || !io.stdinIsTTY) return;
  io.stderr.write(
    `syndic: ${command} reads JSONL records from stdin, one {"id": …, "text": …} object per line; type them and end with Ctrl-D, ` +
      `or pipe a file in: syndic ${command} --index FILE < records.jsonl\n`,
  );
}
