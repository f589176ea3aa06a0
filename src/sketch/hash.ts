/**
 * Small deterministic hashing helpers: a 32-bit finalizer, a seeded PRNG, and 64-bit
 * xxhash fingerprints through xxhash-wasm (loaded once, asynchronously).
 */
import xxhash from 'xxhash-wasm';

/**
 * MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers with full avalanche. Hot loops in
 * other modules call it through a module-local alias (`const mix = fmix32`): TurboFan re-reads an
 * imported binding, with a hole check, on every use, and the loops measured 5–10% slower so.
 */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Seeded PRNG (SplitMix32): returns a function yielding uniform 32-bit unsigned integers.
 * Used for permutation coefficients and hash tables, so every run with one seed builds the same.
 */
export function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state);
  };
}

/** 64-bit fingerprints of byte strings (xxhash64, seed 0). */
export interface Fingerprinter {
  /** xxhash64 of the UTF-8 bytes of `text`. */
  fingerprintText(text: string): bigint;
  /** xxhash64 of raw bytes. */
  fingerprintBytes(bytes: Uint8Array): bigint;
  /** xxhash64 of UTF-16 code units `units[start..end)`, hashed as little-endian bytes. */
  fingerprintUnits(units: Uint16Array, start: number, end: number): bigint;
}

let fingerprinter: Promise<Fingerprinter> | undefined;

/** Load xxhash-wasm once and share it. */
export function loadFingerprinter(): Promise<Fingerprinter> {
  fingerprinter ??= xxhash().then((api) => {
    const bytesOfUnits = (units: Uint16Array, start: number, end: number): Uint8Array => {
      const bytes = new Uint8Array(units.buffer, units.byteOffset + start * 2, (end - start) * 2);
      if (isLittleEndian) return bytes;
      // Keep fingerprints identical on big-endian machines.
      const copy = new Uint8Array(bytes.length);
      for (let i = 0; i < end - start; i++) (copy[2 * i] = units[start + i]! & 0xff), (copy[2 * i + 1] = units[start + i]! >>> 8);
      return copy;
    };
    return {
      fingerprintText: (text) => api.h64(text),
      fingerprintBytes: (bytes) => api.h64Raw(bytes),
      fingerprintUnits: (units, start, end) => api.h64Raw(bytesOfUnits(units, start, end)),
    };
  });
  return fingerprinter;
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
