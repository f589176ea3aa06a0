/**
 * The journal of the file index, at the library level: replay after a crash (changes synced but
 * never saved), a torn last entry cut off, a stale journal (crash between snapshot and journal
 * reset) not replayed twice, a journal newer than its snapshot refused, a foreign journal refused.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileIndex, openIndex, SyndicError } from '../../src/index.js';
import { syntheticArticles } from '../filter/corpus.js';

let directory = '';
let file = '';
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'syndic-journal-'));
  file = path.join(directory, 'j.idx');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const articles = syntheticArticles(40, 11);
const open = async (readOnly = false): Promise<FileIndex> => (await openIndex({ path: file, readOnly })) as FileIndex;

/** A writer "killed" after syncing: the lock file is left as a dead writer's, nothing saved. */
async function syncWithoutSaving(records: typeof articles, remove: string[] = []): Promise<void> {
  const index = await open();
  for (const record of records) await index.checkAndAdd(record);
  for (const id of remove) await index.remove(id);
  await index.sync();
  // What a SIGKILL leaves: the journal as synced, the snapshot as it was. Copy both aside and back.
  copyFileSync(file, `${file}.kept`);
  copyFileSync(`${file}.journal`, `${file}.journal.kept`);
  await index.close();
  copyFileSync(`${file}.kept`, file);
  copyFileSync(`${file}.journal.kept`, `${file}.journal`);
}

describe('the file index journal', () => {
  it('replays synced changes that no save wrote (adds and removals), with the same verdicts as before', async () => {
    await syncWithoutSaving(articles.slice(0, 30), [articles[3]!.id]);
    expect(statSync(`${file}.journal`).size).toBeGreaterThan(16);
    const index = await open(true);
    expect(index.size).toBe(29);
    expect(index.has(articles[3]!.id)).toBe(false);
    expect(index.has(articles[29]!.id)).toBe(true);
    expect((await index.check(articles[10]!)).verdict).toBe('duplicate');
    expect((await index.check(articles[35]!)).verdict).toBe('new');
  });

  it('cuts a torn last entry off (it was never reported as accepted) and appends after the whole ones', async () => {
    await syncWithoutSaving(articles.slice(0, 10));
    const whole = statSync(`${file}.journal`).size;
    await syncWithoutSaving(articles.slice(10, 11));
    truncateSync(`${file}.journal`, statSync(`${file}.journal`).size - 7);
    expect((await open(true)).size).toBe(10);
    const index = await open();
    expect(statSync(`${file}.journal`).size).toBe(whole);
    await index.checkAndAdd(articles[20]!);
    await index.sync();
    copyFileSync(`${file}.journal`, `${file}.journal.kept`);
    await index.close();
    copyFileSync(`${file}.journal.kept`, `${file}.journal`);
    const reopened = await open(true);
    expect(reopened.size).toBe(11);
    expect(reopened.has(articles[20]!.id)).toBe(true);
  });

  it('ignores a journal older than the snapshot (a crash between writing the snapshot and emptying the journal)', async () => {
    await syncWithoutSaving(articles.slice(0, 10));
    const stale = readFileSync(`${file}.journal`);
    const index = await open();
    await index.save();
    await index.close();
    writeFileSync(`${file}.journal`, stale);
    const reopened = await open();
    expect(reopened.size).toBe(10);
    await reopened.checkAndAdd(articles[30]!);
    await reopened.close();
    expect((await open(true)).size).toBe(11);
  });

  it('refuses a journal newer than the snapshot (the index file replaced by an older copy), naming both', async () => {
    const index = await open();
    const older = readFileSync(file);
    await index.checkAndAdd(articles[0]!);
    await index.save();
    await index.close();
    writeFileSync(file, older);
    const error = await open().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyndicError);
    expect((error as Error).message).toMatch(/its journal extends snapshot 1 but the file is snapshot 0 \(was it replaced by an older copy\? remove .*j\.idx\.journal/);
  });

  it('refuses a foreign file at the journal path, leaving it untouched', async () => {
    await (await open()).close();
    writeFileSync(`${file}.journal`, 'not a journal at all\n');
    appendFileSync(`${file}.journal`, 'x'.repeat(32));
    const error = await open().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/journal .*j\.idx\.journal: not a syndic journal \(bad magic bytes\); the file was left untouched/);
    expect(readFileSync(`${file}.journal`, 'utf8').startsWith('not a journal')).toBe(true);
  });
});
