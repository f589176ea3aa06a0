// The command line of the compare scripts (compare-core.mjs, compare-redis.mjs): `take(name,
// fallback)` removes `name VALUE` from `args` and returns VALUE; what is left in `args` are the trees.
import { fileURLToPath } from 'node:url';

/** The 6,228 real articles, the default data of the comparisons. */
export const REAL_DATA = fileURLToPath(new URL('../../shared/data/saudinewsnet-dev.jsonl.gz', import.meta.url));

export function commandLine(argv = process.argv) {
  const args = argv.slice(2);
  const take = (name, fallback) => {
    const at = args.indexOf(name);
    return at < 0 ? fallback : args.splice(at, 2)[1];
  };
  return { args, take };
}
