#!/usr/bin/env node
/**
 * The built syndic CLI with a pause injected into its atomic writes, for crash and signal tests:
 *
 *   node test/support/pause-in-write.mjs MARKER N ENDING syndic-args...
 *
 * The N-th commit of a file whose name ends with ENDING writes half of its temporary file,
 * creates MARKER (holding the pid) and waits forever, so that the test kills or signals the
 * process in the middle of writing that file, every time (no timing luck needed). Production code
 * reads no test setting: the pause is installed here, through atomic.ts's setBeforeCommit.
 */
import { writeFileSync } from 'node:fs';
import { setBeforeCommit } from '../../dist/atomic.js';
import { main } from '../../dist/cli/main.js';

const [marker, nth, ending, ...args] = process.argv.slice(2);
if (!marker || !(Number(nth) >= 1) || !ending) {
  process.stderr.write('usage: pause-in-write.mjs MARKER N ENDING syndic-args...\n');
  process.exit(2);
}
let commits = 0;
setBeforeCommit(async (file) => {
  if (!file.target.endsWith(ending) || ++commits !== Number(nth)) return;
  await file.drainHalf();
  writeFileSync(marker, `${process.pid}\n`);
  // A timer keeps the event loop alive: with stdin at its end, a bare pending promise lets the process exit.
  await new Promise(() => setInterval(() => {}, 1 << 30));
});
main(args);
