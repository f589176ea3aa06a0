/**
 * SpillFile shared between threads: appends from the owner, from another instance on its share()
 * and from a real worker thread (dist/parallel/spill.js, built by the test setup) get disjoint
 * ranges and read back exactly.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SpillFile } from '../../src/parallel/spill.js';

const spillModule = new URL('../../dist/parallel/spill.js', import.meta.url).href;

/** A worker that appends `blocks` blocks of `size` bytes, block i filled with byte (seed + i) % 256, and posts their offsets. */
const appender = `
  const { parentPort, workerData } = require('node:worker_threads');
  import(workerData.module).then(({ SpillFile }) => {
    const spill = new SpillFile(workerData.shared);
    const offsets = [];
    for (let i = 0; i < workerData.blocks; i++) offsets.push(spill.append(new Uint8Array(workerData.size).fill((workerData.seed + i) % 256)));
    spill.close();
    parentPort.postMessage(offsets);
  });
`;

describe('SpillFile shared between threads', () => {
  it('gives every append its own range, from any thread, and reads each back exactly', async () => {
    const spill = new SpillFile();
    try {
      expect(spill.shareIfOpen()).toBeNull();
      const shared = spill.share();
      const other = new SpillFile(shared);
      const workers = [1, 2].map((seed) => new Worker(appender, { eval: true, workerData: { module: spillModule, shared, blocks: 50, size: 4099, seed: seed * 100 } }));
      // Listening from the start: a message emitted with no listener is lost.
      const replies = workers.map((worker) => once(worker, 'message') as Promise<[number[]]>);
      const written: Array<{ offset: number; size: number; byte: number }> = [];
      for (let i = 0; i < 50; i++) {
        written.push({ offset: spill.append(new Uint8Array(1000).fill(i)), size: 1000, byte: i });
        written.push({ offset: other.append(new Uint8Array(333).fill(i + 50)), size: 333, byte: i + 50 });
      }
      for (const [w, reply] of replies.entries()) {
        const [offsets] = await reply;
        offsets.forEach((offset, i) => written.push({ offset, size: 4099, byte: ((w + 1) * 100 + i) % 256 }));
      }
      other.close(); // not the owner: the file stays
      written.sort((x, y) => x.offset - y.offset);
      let end = 0;
      for (const { offset, size, byte } of written) {
        expect(offset).toBe(end);
        expect(spill.read(offset, size)).toEqual(Buffer.alloc(size, byte));
        end += size;
      }
      expect(spill.size).toBe(end);
      const into = spill.readInto(new Uint8Array(10), written[1]!.offset);
      expect(into).toEqual(new Uint8Array(10).fill(written[1]!.byte));
    } finally {
      spill.close();
    }
  });
});
