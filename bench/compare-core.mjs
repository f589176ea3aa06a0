// The hashing core of two or more built trees, side by side: rounds of one child process per tree
// in turn, each timing normalize and text → signature over the first 3,000 real articles (best of
// 7 passes, CPU time). Separate processes, because trees loaded into one process bias each other
// (the first loaded measured faster in either order); alternating rounds keep a shared machine's
// drift out of the per-round ratios. Build each tree first (`npx tsc -p tsconfig.build.json`):
//   node bench/compare-core.mjs /path/to/before /path/to/after [--rounds N] [--data FILE.jsonl.gz]
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { commandLine, REAL_DATA } from './compare-args.mjs';

const { args, take: option } = commandLine();
const data = option('--data', REAL_DATA);
const child = option('--child', null);

if (child !== null) {
  const lib = await import(pathToFileURL(resolve(child, 'dist/index.js')).href);
  const texts = gunzipSync(readFileSync(data)).toString('utf8').split('\n').filter(Boolean).slice(0, 3000).map((l) => JSON.parse(l).text);
  const megabytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  const normalizer = lib.createNormalizer({});
  const sketcher = lib.createTextSketcher({});
  const out = new Uint32Array(128);
  const bestMBps = (run) => {
    let best = Infinity;
    for (let pass = 0; pass < 7; pass++) {
      const start = process.cpuUsage().user;
      run();
      best = Math.min(best, (process.cpuUsage().user - start) / 1e6);
    }
    return megabytes / best;
  };
  let sink = 0;
  const normalize = bestMBps(() => texts.forEach((t) => (sink += normalizer.normalizeToUnits(t).length)));
  const sketch = bestMBps(() => texts.forEach((t) => sketcher.sketchTextInto(t, out, 0)));
  console.log(JSON.stringify({ normalize, sketch, texts: texts.length, megabytes, sink }));
} else {
  const rounds = Number(option('--rounds', '10'));
  const trees = args;
  if (trees.length < 2 || !(rounds >= 1)) {
    console.error('usage: node bench/compare-core.mjs TREE TREE... [--rounds N] [--data FILE.jsonl.gz]');
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const runs = trees.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < trees.length; j++) {
      const k = (j + round) % trees.length; // each tree takes each place in the order in turn
      runs[k].push(JSON.parse(execFileSync(process.execPath, [self, '--child', trees[k], '--data', data], { encoding: 'utf8' })));
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const { texts, megabytes } = runs[0][0];
  console.log(`${texts} texts, ${megabytes.toFixed(1)} MB, ${rounds} rounds; MB/s of CPU time (best of 7 passes), medians; ratio = median of per-round ratios to ${trees[0]}`);
  for (const measure of ['normalize', 'sketch']) {
    trees.forEach((tree, k) => {
      const ratio = median(runs[k].map((run, round) => run[measure] / runs[0][round][measure]));
      console.log(`${measure.padEnd(9)} ${tree}: ${median(runs[k].map((run) => run[measure])).toFixed(1)} MB/s ×${ratio.toFixed(2)}`);
    });
  }
}
