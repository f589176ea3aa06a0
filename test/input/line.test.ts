/**
 * LineDecoder, the fast path of JSONL lines: every line it takes gives the record of the general
 * path (decodeLine + parseJsonRecord), text decoded from UTF-8 and JSON escapes into UTF-16 units;
 * every line it is not sure of is left to the general path (null).
 */
import { describe, expect, it } from 'vitest';
import { LineDecoder } from '../../src/input/line.js';
import { DEFAULT_FIELDS, decodeLine, parseJsonRecord, type FieldMap } from '../../src/input/parse.js';

/** The general path's record of a line, or its error message. */
function general(line: Uint8Array, fields: FieldMap = DEFAULT_FIELDS): unknown {
  const decoded = decodeLine(line);
  return typeof decoded === 'string' ? parseJsonRecord(decoded, fields) : decoded.problem;
}

/** The fast path's record with its text as a string, or null. */
function fast(line: Uint8Array, fields: FieldMap = DEFAULT_FIELDS): unknown {
  const decoder = new LineDecoder(fields);
  const result = decoder.decode(line);
  if (result === null) return null;
  const text = Buffer.from(decoder.units.buffer, decoder.units.byteOffset, result.length * 2).toString('utf16le');
  return { ...result.fields, text };
}

const bytes = (line: string): Uint8Array => Buffer.from(line, 'utf8');

describe('LineDecoder', () => {
  const taken = [
    '{"id":"a","text":"plain ascii"}',
    '{"id":"a","text":"سطر عربي\\nوسطر ثانٍ","source":"مصدر","date":"2015-07-21","url":"http://x/y","title":"عنوان"}',
    '{ "text" : "spaces around" , "id" : 7 }',
    '{"id":"e","text":"escapes \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u0627 end"}',
    '{"id":"s","text":"lone \\ud800 and pair \\ud83d\\ude00 and raw 😀 emoji"}',
    '{"id":"n","meta":{"text":"nested, not the field","list":[1,{"a":"}"}]},"text":"the field","extra":[true,null,-1.5e3]}',
    '{"id":"q","text":"","source":"empty text is valid"}',
    '{"id":"b","text":"\ufeff BOM inside the text, kept"}',
    '{"id":"c","text":"a\\u2028b\\u0085c"}',
    '{"id":"r","text":"ends in a backslash \\\\","source":"s"}',
    '{"id":"r","text":"\\\\\\"quoted\\\\\\" after escaped backslashes"}',
  ];
  it.each(taken)('takes %s with the record of the general path', (line) => {
    const expected = general(bytes(line));
    expect(typeof expected).toBe('object');
    expect(fast(bytes(line))).toEqual(expected);
  });

  const left = [
    ['an empty line', ''],
    ['leading white space', ' {"id":"a","text":"t"}'],
    ['a byte order mark', '\ufeff{"id":"a","text":"t"}'],
    ['not an object', '["id","text"]'],
    ['an empty object', '{}'],
    ['no text field', '{"id":"a","body":"t"}'],
    ['a text twice (JSON.parse keeps the last)', '{"id":"a","text":"one","text":"two"}'],
    ['an escaped key', '{"id":"a","te\\u0078t":"t"}'],
    ['a text that is not a string', '{"id":"a","text":5}'],
    ['an unknown escape', '{"id":"a","text":"bad \\x escape"}'],
    ['a short \\u escape', '{"id":"a","text":"bad \\u00g1"}'],
    ['a raw control character', '{"id":"a","text":"tab\there"}'],
    ['an unclosed text', '{"id":"a","text":"open'],
    ['malformed JSON elsewhere', '{"id":"a","text":"t",}'],
    ['garbage after the object', '{"id":"a","text":"t"} x'],
    ['a missing id', '{"text":"t"}'],
    ['a non-string source', '{"id":"a","text":"t","source":1}'],
  ] as const;
  it.each(left)('leaves %s to the general path', (_, line) => {
    expect(fast(bytes(line))).toBeNull();
  });

  it('leaves invalid UTF-8 to the general path, which names the byte', () => {
    const line = Buffer.concat([bytes('{"id":"a","text":"'), Buffer.from([0xd8]), bytes('"}')]);
    expect(fast(line)).toBeNull();
    expect(general(line)).toMatch(/^invalid UTF-8 at byte 18/);
  });

  it('reads remapped field names', () => {
    const fields = { ...DEFAULT_FIELDS, id: 'key', text: 'body', source: 'outlet' };
    const line = bytes('{"key":"k","text":"not this","body":"this one","outlet":"o"}');
    expect(fast(line, fields)).toEqual({ id: 'k', text: 'this one', source: 'o' });
    expect(fast(line, fields)).toEqual(general(line, fields));
  });

  it('decodes random texts of every UTF-8 length exactly', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const decoder = new LineDecoder(DEFAULT_FIELDS);
    for (let round = 0; round < 200; round++) {
      let text = '';
      const length = next() % 300;
      for (let i = 0; i < length; i++) {
        const kind = next() % 5;
        if (kind === 0) text += String.fromCharCode(0x20 + (next() % 0x5f));
        else if (kind === 1) text += String.fromCharCode(0x80 + (next() % 0x780));
        else if (kind === 2) text += String.fromCharCode(0x800 + (next() % 0xd000));
        else if (kind === 3) text += String.fromCodePoint(0x10000 + (next() % 0xfffff));
        else text += '\n"\\\t'[next() % 4];
      }
      const line = bytes(JSON.stringify({ id: `r${round}`, text }));
      const result = decoder.decode(line);
      expect(result).not.toBeNull();
      expect(Buffer.from(decoder.units.buffer, decoder.units.byteOffset, result!.length * 2).toString('utf16le')).toBe(text);
    }
  });
});
