/**
 * Filter accuracy on the real data, half against half: the index is built from the first half of
 * ../shared/data, every record of the second half is checked. Truth: exact Jaccard of shingle
 * sets (the library's own normalizer and shingler), all cross-half pairs found by the prefix-
 * filtered brute force of bench/eval/truth.ts. Also reports, for verification sketches of several
 * lengths (8-bit b-bit one-permutation MinHash), pair-level errors around the threshold.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/filter-accuracy.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAnalyzer, createSketcher, loadFingerprinter, openIndex, resolveOptions, toShingleSet, type Verdict } from '../src/index.js';
import { loadRealRecords } from './corpus/base.js';
import { exactPairs } from '../src/eval/truth.js';

const SKETCH_LAYOUTS = [
  { sketches: 1, bins: 128, bits: 8 },
  { sketches: 1, bins: 512, bits: 8 },
  { sketches: 1, bins: 1024, bits: 8 },
  { sketches: 2, bins: 512, bits: 8 },
  { sketches: 4, bins: 256, bits: 8 },
  { sketches: 4, bins: 512, bits: 4 },
  { sketches: 8, bins: 512, bits: 2 },
  { sketches: 1, bins: 2048, bits: 4 },
  { sketches: 2, bins: 1024, bits: 4 },
  { sketches: 8, bins: 256, bits: 4 },
  { sketches: 16, bins: 256, bits: 2 },
  { sketches: 8, bins: 1024, bits: 1 },
];

async function main(): Promise<void> {
  const records = loadRealRecords().map(({ id, text }) => ({ id, text }));
  const half = records.length >> 1;
  const options = resolveOptions();
  const { threshold } = options;
  const analyzer = createAnalyzer(options, await loadFingerprinter(), { keepHashes: true });
  const bags = records.map((record) => analyzer.analyze(record.text).hashes!.slice());
  const sets = bags.map((bag) => toShingleSet(bag));
  let t = performance.now();
  const truth = exactPairs(sets, { jaccard: threshold - 0.2, containment: 2 });
  const cross = truth.pairs.filter((pair) => pair.a < half && pair.b >= half);
  console.error(`truth: ${cross.length} cross-half pairs with J ≥ ${threshold - 0.2} (${(performance.now() - t).toFixed(0)} ms)`);

  // Pair-level trade-off: b-bit (8) estimates from sketches of several lengths.
  console.log(`| verification | bytes/doc | pairs J ≥ ${threshold}: missed | pairs J < ${threshold}: accepted | worst missed J | worst accepted J |`);
  console.log('|---|---|---|---|---|---|');
  const positives = cross.filter((pair) => pair.jaccard >= threshold);
  const negatives = cross.length - positives.length;
  for (const { sketches, bins, bits } of SKETCH_LAYOUTS) {
    const mask = (1 << bits) - 1;
    const collision = 1 / (1 << bits);
    const samples = sketches * bins;
    const values = bags.map((bag) => {
      const out = new Uint8Array(samples);
      for (let s = 0; s < sketches; s++) {
        const sketcher = createSketcher({ numPerm: bins, seed: options.seed + 7919 * (s + 1), shingleSize: options.shingleSize, variant: 'oph' });
        const signature = sketcher.sketch(bag).values;
        for (let i = 0; i < bins; i++) out[s * bins + i] = signature[i]! & mask;
      }
      return out;
    });
    let missed = 0;
    let accepted = 0;
    let worstMissed = 0;
    let worstAccepted = 1;
    for (const pair of cross) {
      let equal = 0;
      const a = values[pair.a]!;
      const b = values[pair.b]!;
      for (let i = 0; i < samples; i++) if (a[i] === b[i]) equal++;
      const estimate = (equal / samples - collision) / (1 - collision);
      if (pair.jaccard >= threshold && estimate < threshold) (missed++, (worstMissed = Math.max(worstMissed, pair.jaccard)));
      if (pair.jaccard < threshold && estimate >= threshold) (accepted++, (worstAccepted = Math.min(worstAccepted, pair.jaccard)));
    }
    console.log(`| ${sketches} × ${bins} OPH × ${bits} bits | ${(samples * bits) / 8} | ${missed}/${positives.length} | ${accepted}/${negatives} | ${missed ? worstMissed.toFixed(3) : '–'} | ${accepted ? worstAccepted.toFixed(3) : '–'} |`);
  }

  // Record level, through the index.
  const expected = records.slice(half).map(() => new Set<string>());
  for (const pair of positives) expected[pair.b - half]!.add(records[pair.a]!.id);
  const directory = mkdtempSync(path.join(tmpdir(), 'syndic-halves-'));
  try {
    t = performance.now();
    const index = await openIndex({ path: path.join(directory, 'half.idx') });
    for (const record of records.slice(0, half)) await index.add(record);
    const verdicts: Verdict[] = [];
    for (const record of records.slice(half)) verdicts.push(await index.check(record));
    await index.close();
    let truthDuplicates = 0;
    let found = 0;
    let novel = 0;
    let novelPassed = 0;
    let duplicateVerdicts = 0;
    let duplicateCorrect = 0;
    verdicts.forEach((verdict, i) => {
      const want = expected[i]!;
      const named = verdict.matches.some((match) => want.has(match.id));
      if (want.size > 0 && !(verdict.verdict !== 'new' && named)) {
        const best = Math.max(...positives.filter((pair) => pair.b - half === i).map((pair) => pair.jaccard));
        console.error(`missed ${records[half + i]!.id}: exact J ${best.toFixed(3)}, verdict ${verdict.verdict}, matches ${JSON.stringify(verdict.matches.slice(0, 2))}`);
      }
      if (want.size > 0) (truthDuplicates++, verdict.verdict !== 'new' && named && found++);
      else (novel++, verdict.verdict !== 'duplicate' && novelPassed++);
      if (verdict.verdict === 'duplicate') (duplicateVerdicts++, named && duplicateCorrect++);
    });
    console.log(
      `\nhalf/half: ${half} indexed, ${verdicts.length} checked (${(performance.now() - t).toFixed(0)} ms); ${truthDuplicates} with an indexed record at exact J ≥ ${threshold}: ` +
        `recall ${(found / truthDuplicates).toFixed(4)} (${found}/${truthDuplicates}), novel passed ${(novelPassed / novel).toFixed(4)} (${novelPassed}/${novel}), ` +
        `duplicate-verdict precision ${(duplicateCorrect / duplicateVerdicts).toFixed(4)} (${duplicateCorrect}/${duplicateVerdicts}), syndicated ${verdicts.filter((v) => v.verdict === 'syndicated').length}`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
