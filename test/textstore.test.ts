/**
 * TextStore: texts spilled to a temporary file and read back exactly (Arabic, emoji, lone
 * surrogates, empty, larger than a write chunk), whole text files read again from their path,
 * no temporary file left behind; decodeStrictUtf8 against TextDecoder on random bytes.
 */
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/suites/corpus.js';
import { StoredRecord, TextStore } from '../src/parallel/textstore.js';
import { decodeStrictUtf8 } from '../src/text/utf8.js';

const dir = mkdtempSync(path.join(tmpdir(), 'syndic-textstore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));



/** Run `use` with `store` (a new one by default), closed afterwards whatever happens. */
function withStore(use: (store: TextStore) => void, store = new TextStore()): void {
  try {
    use(store);
  } finally {
    store.close();
  }
}

const spillFiles = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(`syndic-texts-${process.pid}-`));

describe('TextStore', () => {
  it('reads back every spilled text exactly, before and after its chunk is written', () => {
    const next = seededRandom(7);
    const texts = [
      'الخبر الأول: ارتفعت أسعار النفط.',
      '',
      'emoji 😀 and a lone surrogate \ud800 then \udc00 alone',
      'x'.repeat(700_000), // over a 1 MiB write chunk in UTF-16
      ...Array.from({ length: 3000 }, (_, i) => `نص ${i} ${String.fromCharCode(...Array.from({ length: Math.floor(next() * 400) }, () => Math.floor(next() * 0xffff)))}`),
    ];
    const store = new TextStore();
    withStore(() => {
      // Read back as they are added (from the unwritten chunk), then all again (from the file).
      texts.forEach((text, i) => {
        expect(store.add(text)).toBe(i);
        expect(store.text(i)).toBe(text);
      });
      expect(store.size).toBe(texts.length);
      expect(store.spilledBytes).toBe(texts.reduce((sum, text) => sum + 2 * text.length, 0));
      for (let i = texts.length - 1; i >= 0; i--) expect(store.text(i)).toBe(texts[i]);
      // Unlinked while open on POSIX systems: nothing to leave behind, even if the process is killed.
      if (process.platform !== 'win32') expect(spillFiles()).toEqual([]);
    }, store);
    expect(spillFiles()).toEqual([]);
    expect(() => store.add('x')).toThrow('closed');
  });

  it('keeps only the path of a whole text file and reads it again, BOM dropped as on the first read', () => {
    const file = path.join(dir, 'page.txt');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('صفحة كاملة\n')]));
    withStore((store) => {
      const index = store.add('صفحة كاملة\n', file);
      expect(store.spilledBytes).toBe(0);
      expect(store.text(index)).toBe('صفحة كاملة\n');
      expect(spillFiles()).toEqual([]);
    });
  });

  it('says which file changed when a text file can no longer be read', () => {
    const file = path.join(dir, 'gone.txt');
    writeFileSync(file, 'soon gone');
    withStore((store) => {
      const index = store.add('soon gone', file);
      unlinkSync(file);
      expect(() => store.text(index)).toThrow(`${file}: changed or removed while it was being scanned`);
      expect(() => store.text(1)).toThrow(RangeError);
    });
  });

  it('refuses a text file rewritten with other text during the run', () => {
    const file = path.join(dir, 'rewritten.txt');
    writeFileSync(file, 'the page as first read');
    withStore((store) => {
      const index = store.add('the page as first read', file);
      writeFileSync(file, 'a report written over it');
      expect(() => store.text(index)).toThrow(`${file}: changed or removed while it was being scanned (22 characters when first read, 24 now)`);
    });
  });

  it('keeps recent texts for the next requests, and only the last one once read in order', () => {
    const file = path.join(dir, 'kept.txt');
    writeFileSync(file, 'a page');
    withStore((store) => {
      const page = store.add('a page', file);
      const other = store.add('another text');
      expect(store.text(page)).toBe('a page');
      expect(store.text(other)).toBe('another text');
      unlinkSync(file);
      // Read recently: served again without the file.
      expect(store.text(page)).toBe('a page');
      writeFileSync(file, 'a page');
      store.readInOrder();
      expect(store.text(page)).toBe('a page');
      unlinkSync(file);
      expect(store.text(page)).toBe('a page');
      expect(store.text(other)).toBe('another text');
      // No longer the last one read: read again, from a file that is gone.
      expect(() => store.text(page)).toThrow(`${file}: changed or removed`);
    });
  });

  it('gives records whose text is read from the store', () => {
    withStore((store) => {
      const record = new StoredRecord(store, store.add('النص'), 'id-1', 'outlet', '2024-01-01', undefined, undefined);
      expect([record.id, record.text, record.source, record.date, record.url]).toEqual(['id-1', 'النص', 'outlet', '2024-01-01', undefined]);
    });
  });
});

describe('decodeStrictUtf8', () => {
  const reference = new TextDecoder('utf-8', { fatal: true });
  const decodeReference = (bytes: Uint8Array): string | null => {
    try {
      return reference.decode(bytes);
    } catch {
      return null;
    }
  };

  it('decodes and refuses exactly what a fatal TextDecoder does, on random and Arabic bytes', () => {
    const next = seededRandom(11);
    const samples: Uint8Array[] = [
      new Uint8Array(0),
      Buffer.from('\ufeffمع علامة ترتيب البايت'),
      Buffer.from('\ufeff\ufeffتكرار'),
      Buffer.from([0xef, 0xbb]),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate: invalid
      Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF: invalid
      Buffer.from([0xc0, 0xaf]), // overlong: invalid
    ];
    for (let i = 0; i < 2000; i++) {
      const valid = Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () => String.fromCodePoint(Math.floor(next() * 0x10ffff) & ~0x800)).join(''));
      samples.push(valid);
      const broken = Buffer.from(valid);
      if (broken.length > 0) broken[Math.floor(next() * broken.length)] = Math.floor(next() * 256);
      samples.push(broken, new Uint8Array(Array.from({ length: 8 }, () => Math.floor(next() * 256))));
    }
    for (const bytes of samples) expect(decodeStrictUtf8(bytes)).toBe(decodeReference(bytes));
  });
});
