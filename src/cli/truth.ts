/**
 * `syndic truth`: exact all-pairs truth for a corpus — Jaccard and both containments of every
 * document pair above the floors — with syndic's normalization and shingling, as JSONL for
 * `syndic eval`.
 */
import { Command } from 'commander';
import { SyndicError } from '../errors.js';
import { documentTruth, type TruthBounds } from '../eval/truth.js';
import { truthHeaderLine, truthPairLine } from '../eval/files.js';
import { createDocumentSetBuilder } from '../eval/sets.js';
import { loadFingerprinter } from '../sketch/hash.js';
import { readInputs } from '../input/sources.js';
import { writeOutput, type CommandContext } from './io.js';
import {
  addInputOptions,
  addProgressOptions,
  parseDetectOptions,
  parseInputSettings,
  parseNumberOption,
  readOptionsFor,
  reportSkipped,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';
import { Progress, progressEnabled } from './progress.js';

interface RawTruthOptions extends RawDetectionOptions, RawInputOptions {
  out?: string;
  progress?: boolean;
  jaccard?: string;
}

/** Default floors: near-duplicate scoring down to Jaccard 0.5, syndication from containment 0.8. */
export const TRUTH_FLOORS: Readonly<TruthBounds> = Object.freeze({ jaccard: 0.5, containment: 0.8 });

/** A floor option: a number in (0, 1]. */
export function parseFloor(flag: string, value: string | undefined, fallback: number): number {
  const number = parseNumberOption(flag, value) ?? fallback;
  if (!(number > 0 && number <= 1)) throw new SyndicError(`syndic: option ${flag} must be a number above 0 and at most 1, got "${value}"`);
  return number;
}

/** Add the options that decide how documents become shingle sets (shared by truth, eval and bench). */
export function addShingleOptions(command: Command): Command {
  return command
    .option('--shingle-size <n>', 'character k-gram size (default 5)')
    .option('--seed <n>', 'seed of every hash (default 1)')
    .option('--no-arabic', 'do not fold Arabic letter variants and diacritics');
}

/** Register `syndic truth` on the program. */
export function registerTruth(program: Command, context: CommandContext): void {
  const command = program
    .command('truth')
    .description('exact truth for a corpus: every document pair above the floors, with exact Jaccard and both containments (JSONL for syndic eval)')
    .argument('[inputs...]', "folders (.txt/.md inside), .txt/.md files, .jsonl/.jsonl.gz files, '-' for JSONL on stdin")
    .option('--out <file>', 'write the truth to FILE instead of stdout')
    .option('--jaccard <number>', `keep pairs with document Jaccard at least this (default ${TRUTH_FLOORS.jaccard})`)
    .option('--containment <number>', `keep pairs where either document is at least this much inside the other (default ${TRUTH_FLOORS.containment})`);
  addShingleOptions(command);
  addInputOptions(command);
  addProgressOptions(command);
  command.action(async (inputs: string[], raw: RawTruthOptions) => {
    if (inputs.length === 0) throw new SyndicError('syndic: truth needs at least one input: a folder, a .txt/.md/.jsonl/.jsonl.gz file, or - for JSONL on stdin');
    const bounds = { jaccard: parseFloor('--jaccard', raw.jaccard, TRUTH_FLOORS.jaccard), containment: parseFloor('--containment', raw.containment, TRUTH_FLOORS.containment) };
    const detect = parseDetectOptions({ shingleSize: raw.shingleSize, seed: raw.seed, arabic: raw.arabic });
    const { io } = context;
    const progress = new Progress(io, progressEnabled(raw.progress, io));
    const builder = createDocumentSetBuilder(detect, await loadFingerprinter());
    const skipped = { count: 0 };
    const readOptions = readOptionsFor(parseInputSettings(raw), io, skipped);
    const ids: string[] = [];
    const sets: Uint32Array[] = [];
    progress.begin('reading');
    for await (const { record } of readInputs(inputs, readOptions)) {
      ids.push(record.id);
      sets.push(builder.documentSet(record.text));
      progress.update(ids.length);
    }
    progress.begin('comparing', sets.filter((set) => set.length > 0).length);
    const { entries } = documentTruth(ids, sets, bounds, (done) => progress.update(done));
    const { shingleSize, seed, normalize } = builder.options;
    const lines = [truthHeaderLine({ documents: ids.length, ...bounds, shingleSize, seed, normalize }), ...entries.map(truthPairLine)];
    await writeOutput(raw.out, lines, io);
    reportSkipped(skipped, io);
    progress.end(`${ids.length} documents, ${entries.length} pairs`);
  });
}
