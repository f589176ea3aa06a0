/**
 * Write a synthetic corpus as JSONL, for runs of the built CLI on a file:
 *
 *   node dist-bench/bench/corpus/write.js --documents 100000 --out /tmp/c100k.jsonl [--seed 1]
 *
 * The records are those of {@link generateCorpus} with the same options, in order, one JSON
 * object per line (id, source, date, text). A million documents need a heap of ~10 GB while they
 * are generated (`node --max-old-space-size=16000 ...`).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { generateCorpus } from './generate.js';

/** Write `documents` generated records to `file`; resolves to the bytes written. */
export async function writeCorpus(file: string, documents: number, seed = 1): Promise<number> {
  const { records } = generateCorpus({ documents, seed });
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const { id, source, date, text } = records[i]!;
    const line = `${JSON.stringify({ id, source, date, text })}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const out = argument('out');
const documents = Number(argument('documents') ?? 100_000);
if (!out || !Number.isInteger(documents) || documents < 1) {
  process.stderr.write('usage: write.js --documents N --out FILE [--seed S]\n');
  process.exitCode = 2;
} else {
  const started = performance.now();
  const bytes = await writeCorpus(out, documents, Number(argument('seed') ?? 1));
  process.stderr.write(`${out}: ${documents} documents, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
