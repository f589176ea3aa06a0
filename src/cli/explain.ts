/**
 * `syndic explain A B`: what two documents share — document Jaccard and containments, the verdict
 * a scan of the two would give, and each shared paragraph quoted from both in its original form.
 */
import { Command, Option } from 'commander';
import { createExplainer, explainPair, type ExplainedDocument, type Explanation } from '../detect/explain.js';
import { CATEGORY_LABELS } from '../detect/policy.js';
import { SyndicError } from '../errors.js';
import type { DocumentRecord } from '../records.js';
import { collectInputs } from '../input/sources.js';
import { percent } from '../render/shared.js';
import { writeOutput, type CliIo, type CommandContext } from './io.js';
import {
  addDetectionOptions,
  addInputOptions,
  parseChoice,
  parseDetectOptions,
  parseInputSettings,
  readOptionsFor,
  reportSkipped,
  type RawDetectionOptions,
  type RawInputOptions,
} from './options.js';

/** The explanation as text: both documents, the verdict, then each shared paragraph from both sides. */
export function renderExplanation(explanation: Explanation): string {
  const { a, b } = explanation;
  const out: string[] = [];
  const line = (label: string, doc: ExplainedDocument): string =>
    `${label}  ${doc.id}  ${doc.chars} chars, ${doc.paragraphs} paragraphs${doc.source ? `, ${doc.source}` : ''}${doc.date ? `, ${doc.date}` : ''}`;
  out.push(line('A', a), line('B', b), '');
  const originLabel = explanation.origin === a.id ? 'A' : 'B';
  const label = CATEGORY_LABELS[explanation.category];
  out.push(explanation.origin === null ? `verdict: ${label}` : `verdict: ${label}, origin ${originLabel} (${explanation.origin})`);
  const boilerplate = a.boilerplateParagraphs + b.boilerplateParagraphs > 0 ? ` (content: ${a.boilerplateParagraphs} + ${b.boilerplateParagraphs} boilerplate paragraphs left out)` : '';
  out.push(`document Jaccard ${explanation.jaccard.toFixed(3)}; ${percent(explanation.containment.aInB)} of A is in B, ${percent(explanation.containment.bInA)} of B is in A${boilerplate}`);
  const inB = new Set(explanation.shared.map((pair) => pair.b)).size;
  out.push('', `shared paragraphs: ${explanation.shared.length} of A's ${a.paragraphs}, ${inB} of B's ${b.paragraphs}`);
  for (const pair of explanation.shared) {
    const how = pair.jaccard === 1 && pair.aText === pair.bText ? 'identical' : `Jaccard ${pair.jaccard.toFixed(3)}, A in B ${percent(pair.containment.aInB)}, B in A ${percent(pair.containment.bInA)}`;
    out.push('', `  A¶${pair.a} ↔ B¶${pair.b}  ${how}`, `    A: ${pair.aText}`);
    if (pair.bText !== pair.aText) out.push(`    B: ${pair.bText}`);
  }
  return `${out.join('\n')}\n`;
}

interface RawExplainOptions extends RawDetectionOptions, RawInputOptions {
  format?: string;
  input?: string[];
}

/** Register `syndic explain` on the program. */
export function registerExplain(program: Command, context: CommandContext): void {
  const command = program
    .command('explain')
    .description('show what two documents share: Jaccard, containments, shared paragraphs side by side')
    .argument('<a>', 'a .txt/.md file, or an id in the --input records')
    .argument('<b>', 'a .txt/.md file, or an id in the --input records')
    .option('--input <input>', 'read the records from this input (repeatable) and take A and B as ids', (value: string, previous: string[] = []) => [...previous, value])
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'));
  addDetectionOptions(command);
  addInputOptions(command);
  command.action(async (a: string, b: string, raw: RawExplainOptions) => {
    const format = parseChoice('--format', raw.format, ['text', 'json'] as const) ?? 'text';
    const explanation = await explainFromCli(a, b, raw, context.io);
    await writeOutput(undefined, format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation), context.io);
  });
}

async function explainFromCli(a: string, b: string, raw: RawExplainOptions, io: CliIo): Promise<Explanation> {
  const detect = parseDetectOptions(raw);
  const settings = parseInputSettings(raw);
  const skipped = { count: 0 };
  if (raw.input) {
    const records = (await collectInputs(raw.input, readOptionsFor(settings, io, skipped))).map((item) => item.record);
    reportSkipped(skipped, io);
    for (const id of [a, b]) {
      if (!records.some((record) => record.id === id)) throw new SyndicError(`syndic: id "${id}" is not in ${raw.input.join(', ')}`, 'input');
    }
    return (await createExplainer(records, detect)).explain(a, b);
  }
  const single = async (input: string): Promise<DocumentRecord> => {
    const items = await collectInputs([input], readOptionsFor(settings, io, skipped));
    if (items.length !== 1) {
      throw new SyndicError(`syndic: ${input} holds ${items.length} records; give two files, or --input ${input} and two ids`, 'usage');
    }
    return items[0]!.record;
  };
  const recordA = await single(a);
  let recordB = await single(b);
  if (recordA.id === recordB.id) recordB = { ...recordB, id: `${recordB.id} (B)` };
  return explainPair(recordA, recordB, detect);
}
