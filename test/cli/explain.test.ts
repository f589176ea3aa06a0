/**
 * `syndic explain` through the built binary on the samples.
 */
import { describe, expect, it } from 'vitest';
import { runSyndic } from './run.js';

describe('syndic explain', () => {
  it('shows the verdict, the measures and the shared paragraphs of two files', async () => {
    const run = await runSyndic(['explain', 'samples/003_13b42c5a08ef7be2.txt', 'samples/006_truncated_agency_copy.txt']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'A  samples/003_13b42c5a08ef7be2.txt  2387 chars, 17 paragraphs',
      'B  samples/006_truncated_agency_copy.txt  753 chars, 5 paragraphs',
      '',
      'verdict: syndicated copy, origin A (samples/003_13b42c5a08ef7be2.txt)',
      'document Jaccard 0.590; 60% of A is in B, 96% of B is in A',
      '',
    ]);
    expect(lines[6]).toBe("shared paragraphs: 9 of A's 17, 5 of B's 5");
    // The cut paragraph is found by containment and quoted from both sides in original form.
    expect(run.stdout).toContain('  A¶5 ↔ B¶4  Jaccard 0.681, A in B 68%, B in A 100%');
    expect(run.stdout).toContain('    B: موسكو - (د ب أ) - كشف وزير الخارجية الروسي');
  });

  it('takes ids with --input and prints JSON', async () => {
    const run = await runSyndic(['explain', '--input', 'samples', '--format', 'json', '000_848e103266e47c76.txt', '004_cfbd479925494924.txt']);
    expect(run.code).toBe(0);
    const explanation = JSON.parse(run.stdout) as { verdict: string; origin: null; shared: Array<{ a: number; b: number; aText: string }> };
    expect(explanation.verdict).toBe('none');
    expect(explanation.origin).toBeNull();
    expect(explanation.shared.map((pair) => [pair.a, pair.b, pair.aText])).toEqual([
      [7, 12, 'اترك تعليقاً'],
      [9, 13, 'زر الذهاب إلى الأعلى'],
    ]);
  });

  it('calls the lightly edited copy a near-duplicate', async () => {
    const run = await runSyndic(['explain', 'samples/007_edited_copy.txt', 'samples/003_13b42c5a08ef7be2.txt', '--format', 'json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'duplicate', origin: 'samples/007_edited_copy.txt' });
  });

  it('exits 2 on an unknown id or an input holding many records', async () => {
    expect(await runSyndic(['explain', '--input', 'samples', 'nope', '000_848e103266e47c76.txt'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'syndic: id "nope" is not in samples\n',
    });
    expect(await runSyndic(['explain', 'samples', 'samples/003_13b42c5a08ef7be2.txt'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'syndic: samples holds 9 records; give two files, or --input samples and two ids\n',
    });
  });
});
