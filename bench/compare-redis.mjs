// The Redis index of two or more built trees, side by side on one standalone redis-server: rounds
// of one child process per tree in turn, each adding all but the last `--timed` records of a JSONL
// file untimed (addMany, batches of 256), then checking and adding the rest (checkAndAddMany, as
// `syndic filter` sends them), timed. Per tree: records/s, the worker's CPU, Redis' CPU (INFO cpu)
// and memory per record stored, the top commands, and a hash of the verdicts (equal trees must
// agree). Each run gets a redis-server of its own (`redis-server` on the PATH, a free port, no
// persistence), so no run inherits another's allocator state; --redis URL uses that server
// instead (flushing its database). Build each tree first (`npx tsc -p tsconfig.build.json`):
//   node bench/compare-redis.mjs /path/to/before /path/to/after
//     [--data FILE.jsonl[.gz]] [--timed N] [--rounds N] [--groups N] [--redis URL]
// Without --timed every record is timed (the 6,228 real articles by default); --groups creates the
// index with that many bucket groups instead of the default, and a tree given as PATH#N creates it
// with N (the same tree twice, `main#256 main#1024`, compares two settings).
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { commandLine, REAL_DATA } from './compare-args.mjs';

const { args, take: option } = commandLine();
const data = option('--data', REAL_DATA);
const given = option('--redis', null);
const timedCount = Number(option('--timed', '0'));
const rounds = Number(option('--rounds', '3'));
const groups = option('--groups', null);
const child = option('--child', null);

if (child !== null) {
  const lib = await import(pathToFileURL(resolve(child, 'dist/index.js')).href);
  const bytes = readFileSync(data);
  const records = (data.endsWith('.gz') ? gunzipSync(bytes) : bytes)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { id, text } = JSON.parse(line);
      return { id, text };
    });
  const url = given;
  const split = timedCount > 0 ? records.length - timedCount : 0;
  const redis = new Redis(url);
  await redis.flushdb();
  const counters = async () => {
    const info = await redis.info();
    const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)[1]);
    return { cpu: field('used_cpu_user') + field('used_cpu_sys'), memory: field('used_memory') };
  };
  const empty = await counters();
  const index = await lib.openIndex({ redis: url, namespace: 'compare', ...(groups === null ? {} : { groups: Number(groups) }) });
  for (let at = 0; at < split; at += 256) await index.addMany(records.slice(at, Math.min(split, at + 256)));
  await redis.config('RESETSTAT');
  const before = await counters();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const verdicts = [];
  for (let at = split; at < records.length; at += 256) for (const outcome of await index.checkAndAddMany(records.slice(at, at + 256))) verdicts.push(outcome.verdict ?? outcome.message);
  const seconds = (performance.now() - start) / 1000;
  const worker = process.cpuUsage(cpu);
  const after = await counters();
  const stored = await index.count();
  const stats = await redis.info('commandstats');
  const timed = records.length - split;
  const top = [...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)]
    .map((match) => ({ command: match[1], calls: Number(match[2]), usec: Number(match[3]) }))
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 3)
    .map(({ command, calls, usec }) => `${command} ${(calls / timed).toFixed(1)}×${(usec / calls).toFixed(0)} µs`)
    .join(', ');
  await index.destroy();
  await index.close();
  redis.disconnect();
  console.log(
    JSON.stringify({
      recordsPerSecond: timed / seconds,
      workerUs: (worker.user + worker.system) / timed,
      redisUs: ((after.cpu - before.cpu) * 1e6) / timed,
      kilobytesPerRecord: (after.memory - empty.memory) / stored / 1024,
      verdicts: createHash('sha1').update(verdicts.join('\n')).digest('hex').slice(0, 12),
      top,
    }),
  );
  process.exit(0);
}

const trees = args;
if (trees.length < 2) throw new Error('usage: node bench/compare-redis.mjs BEFORE AFTER [...] --redis URL [--data FILE] [--timed N] [--rounds N]');
/** A redis-server of its own on a free port, without persistence, until `stop`. */
async function freshServer() {
  const port = await new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  for (let attempt = 0; ; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (attempt === 100) throw error;
      await new Promise((done) => setTimeout(done, 50));
    } finally {
      client.disconnect();
    }
  }
  return { url, stop: () => new Promise((done) => (server.once('exit', done), server.kill())) };
}

const runs = trees.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [t, tree] of trees.entries()) {
    const server = given === null ? await freshServer() : { url: given, stop: async () => {} };
    try {
      const [path, own = groups] = tree.split('#');
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', path, '--data', data, '--redis', server.url, '--timed', String(timedCount), ...(own === null ? [] : ['--groups', own])], { encoding: 'utf8' });
      runs[t].push(JSON.parse(out));
      console.error(`round ${round + 1} ${tree}: ${out.trim()}`);
    } finally {
      await server.stop();
    }
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
console.log(`| tree | records/s | worker CPU µs/record | Redis CPU µs/record | Redis KB/record | verdicts |`);
console.log(`| --- | ---: | ---: | ---: | ---: | --- |`);
trees.forEach((tree, t) => {
  const of = (key) => median(runs[t].map((run) => run[key]));
  console.log(`| ${tree} | ${of('recordsPerSecond').toFixed(0)} | ${of('workerUs').toFixed(0)} | ${of('redisUs').toFixed(0)} | ${of('kilobytesPerRecord').toFixed(2)} | ${[...new Set(runs[t].map((run) => run.verdicts))].join(' ')} |`);
});
for (let t = 1; t < trees.length; t++) {
  const ratio = (key) => median(runs[t].map((run, round) => run[key] / runs[0][round][key])).toFixed(3);
  console.log(`${trees[t]} ÷ ${trees[0]} (median of per-round ratios): records/s ×${ratio('recordsPerSecond')}, worker CPU ×${ratio('workerUs')}, Redis CPU ×${ratio('redisUs')}`);
}
