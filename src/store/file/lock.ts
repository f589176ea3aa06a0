/**
 * Writer lock of an index file: `FILE.lock` created with O_EXCL and holding the owner's pid. A
 * lock whose pid no longer runs (a writer killed with SIGKILL) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { processExists } from '../../atomic.js';
import { SyndicError } from '../../errors.js';

/** Take the lock at `lockPath` or throw an `index` error naming the holder; returns the release function. */
export function acquireLock(lockPath: string, indexPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') {
        throw new SyndicError(`index ${indexPath}: cannot create lock file ${lockPath}: ${(error as Error).message}`, 'index');
      }
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    } catch {
      continue; // Released between our attempt and the read: try again.
    }
    if (Number.isInteger(holder) && holder > 0 && (holder === process.pid || processExists(holder))) {
      throw new SyndicError(`index ${indexPath} is locked by another writer (pid ${holder}${holder === process.pid ? ', this process' : ''}, lock file ${lockPath})`, 'index');
    }
    // Stale (its writer is gone) or unreadable garbage: remove and retry.
    try {
      unlinkSync(lockPath);
    } catch {
      // Someone else removed it first.
    }
  }
  throw new SyndicError(`index ${indexPath}: could not take the lock ${lockPath}`, 'index');
}
