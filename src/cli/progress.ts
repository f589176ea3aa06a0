/**
 * Progress of a long run on stderr: a line redrawn in place on a terminal, plain lines at most
 * once a second otherwise. Colour only on a terminal and never when NO_COLOR is set.
 */
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
  private readonly startedMs = Date.now();
  private readonly redraw: boolean;
  private readonly colour: boolean;

  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {
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
    this.update(0);
  }

  /** `done` items of the current stage are finished (written at most every 100 ms, or 1 s off a terminal). */
  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    const interval = this.redraw ? 100 : 1000;
    if (done !== 0 && done !== this.total && now - this.lastWriteMs < interval) return;
    this.lastWriteMs = now;
    const count = this.total > 0 ? ` ${done}/${this.total}` : done > 0 ? ` ${done}` : '';
    this.write(`${this.label(this.stage)}${count}`);
  }

  /** End the run with a summary line. */
  end(summary: string): void {
    if (!this.enabled) return;
    this.finishLine();
    const seconds = ((Date.now() - this.startedMs) / 1000).toFixed(1);
    this.io.stderr.write(`${this.label('done')} ${summary} in ${seconds} s\n`);
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
