/**
 * Progress of a long run on stderr: a line redrawn in place on a terminal, plain lines at most
 * once a second otherwise. Colour only on a terminal and never when NO_COLOR is set. When a
 * stage's total is known, the line shows the percentage done and, after the first second, the
 * time left at the stage's average rate so far.
 */
import { formatCount } from '../render/shared.js';
import type { CliIo } from './io.js';

/** Whether progress is shown: `--progress`/`--no-progress` when given, else only on a terminal. */
export function progressEnabled(requested: boolean | undefined, io: CliIo): boolean {
  return requested ?? io.stderrIsTTY;
}

/** Reports stages and counts of one run; does nothing when disabled. */
export class Progress {
  private stage = '';
  private total = 0;
  private lastWriteMs = 0;
  private stageStartedMs = 0;
  private readonly startedMs: number;
  private readonly redraw: boolean;
  private readonly colour: boolean;

  /** `now` is the clock in milliseconds (a test passes its own). */
  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.startedMs = now();
    this.redraw = enabled && io.stderrIsTTY;
    this.colour = this.redraw && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  }

  /** Start a stage; `total` is the count `update` goes up to (0 when unknown). */
  begin(stage: string, total = 0): void {
    if (!this.enabled) return;
    this.finishLine();
    this.stage = stage;
    this.total = total;
    this.lastWriteMs = 0;
    this.stageStartedMs = this.now();
    this.update(0);
  }

  /** `done` items of the current stage are finished (written at most every 100 ms, or 1 s off a terminal). */
  update(done: number): void {
    if (!this.enabled) return;
    const now = this.now();
    const interval = this.redraw ? 100 : 1000;
    if (done !== 0 && done !== this.total && now - this.lastWriteMs < interval) return;
    this.lastWriteMs = now;
    const count = this.total > 0 ? ` ${formatCount(done)}/${formatCount(this.total)}${this.share(done, now)}` : done > 0 ? ` ${formatCount(done)}` : '';
    this.write(`${this.label(this.stage)}${count}`);
  }

  /** End the run with a summary line. */
  end(summary: string): void {
    if (!this.enabled) return;
    this.finishLine();
    const seconds = ((this.now() - this.startedMs) / 1000).toFixed(1);
    this.io.stderr.write(`${this.label('done')} ${summary} in ${seconds} s\n`);
  }

  /** ` (40%)`, or ` (40%, about 12 s left)` once the stage has run a second. */
  private share(done: number, now: number): string {
    const percent = Math.floor((100 * Math.min(done, this.total)) / this.total);
    const elapsedMs = now - this.stageStartedMs;
    if (done <= 0 || done >= this.total || elapsedMs < 1000) return ` (${percent}%)`;
    return ` (${percent}%, about ${formatDuration(((this.total - done) * elapsedMs) / done)} left)`;
  }

  private label(text: string): string {
    const padded = `syndic: ${text}`;
    return this.colour ? `\u001b[2m${padded}\u001b[22m` : padded;
  }

  private write(line: string): void {
    if (this.redraw) this.io.stderr.write(`\r\u001b[K${line}`);
    else this.io.stderr.write(`${line}\n`);
  }

  private finishLine(): void {
    if (this.redraw && this.stage) this.io.stderr.write('\r\u001b[K');
  }
}

/** `12 s`, `3 min 20 s`, `1 h 5 min`: a remaining time rounded to what a reader needs. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
