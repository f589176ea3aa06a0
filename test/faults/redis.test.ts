/**
 * Redis unreachable at start, malformed, killed in the middle of a filter stream, restarted
 * during a stream (a short outage), and restarted with a data set it takes seconds to load
 * (LOADING): bounded waits (--redis-wait), exit 2 with a message naming the URL when the budget
 * runs out, exit 0 when Redis comes back within it; every record printed as accepted is stored.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIndex, RedisIndex } from '../../src/index.js';
import { BIN, ROOT } from '../cli/run.js';
import { findRedisServer, freePort, redisCli, startRedis, type RedisServer } from '../setup/redis.js';
import { expectInputError, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const binary = findRedisServer();
const { dir } = tempFolder('redis');
const servers: RedisServer[] = [];
/** A folder for one test's server inside the file's temporary folder. */
const subfolder = (name: string): string => (mkdirSync(path.join(dir, name)), path.join(dir, name));
afterAll(() => Promise.all(servers.map((server) => server.stop())));

/** redis-server with an fsynced append-only file in `folder`, so a restart finds every acknowledged write. */
async function startServer(port: number, folder = dir, extra: string[] = []): Promise<RedisServer> {
  const server = await startRedis(binary!, ['--appendonly', 'yes', '--appendfsync', 'always', ...extra], port, folder);
  servers.push(server);
  return server;
}

/** A filter process fed `texts` slowly (50 records per 5 ms), so that Redis can fail with the stream still flowing. */
function slowFilter(url: string, texts: string[], extra: string[]): { child: ChildProcess; exited: Promise<number | null>; output: { stdout: string; stderr: string }; accepted: (n: number) => Promise<void> } {
  const child = spawn(process.execPath, [BIN, 'filter', '--redis', url, ...extra], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.on('error', () => {}); // The filter stops reading when it fails.
  const output = { stdout: '', stderr: '' };
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
    const lines = output.stdout.split('\n').length - 1;
    for (const waiter of waiters.filter((w) => lines >= w.n)) waiters.splice(waiters.indexOf(waiter), 1), waiter.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  void (async () => {
    for (let sent = 0; sent < texts.length && child.exitCode === null; sent++) {
      child.stdin!.write(line({ id: `r${sent}`, text: texts[sent] }));
      if (sent % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.stdin!.end();
  })();
  return { child, exited, output, accepted: (n) => new Promise((resolve) => waiters.push({ n, resolve })) };
}

/** A server with an append-only file, a slow filter stream through it, and the server SIGKILLed once 300 records were accepted. */
async function killMidStream(name: string, texts: string[], waitSeconds: number): Promise<{ port: number; url: string; folder: string; run: ReturnType<typeof slowFilter> }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}/0`;
  const folder = subfolder(name);
  const server = await startServer(port, folder);
  const run = slowFilter(url, texts, ['--redis-wait', String(waitSeconds)]);
  await run.accepted(300);
  server.child.kill('SIGKILL');
  return { port, url, folder, run };
}

const ids = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);

/** The ids among `printed` that the index at `url` does not hold. */
async function missing(url: string, printed: string[]): Promise<string[]> {
  const index = (await openIndex({ redis: url, mustExist: true })) as RedisIndex;
  try {
    const absent: string[] = [];
    for (const id of printed) if (!(await index.contains(id))) absent.push(id);
    return absent;
  } finally {
    await index.close();
  }
}

describe('Redis unreachable at start, or named wrong', () => {
  it('filter, check and index build exit 2 naming the URL after the --redis-wait budget', async () => {
    const url = `redis://127.0.0.1:${await freePort()}/0`;
    for (const command of [['filter'], ['check', '-'], ['index', 'build', '-']]) {
      const started = Date.now();
      const run = await runSyndic([...command, '--redis', url, '--redis-wait', '1'], { input: line({ id: 'a', text: 'some text to check' }) });
      expectInputError(run, new RegExp(`^syndic: cannot connect to Redis at ${url.replace(/\./g, '\\.')}: .*ECONNREFUSED.*; gave up after waiting 1\\.0 s \\(--redis-wait\\)$`));
      expect(run.stdout).toBe('');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    }
  });

  it('a malformed --redis value is a usage error naming the option', async () => {
    for (const value of ['redis://a:1,redis//b:2', 'http://127.0.0.1:6379', 'redis://127.0.0.1:6379/zero', 'redis://a:1/1,redis://b:2', 'not a url', 'redis://a:1,']) {
      const run = await runSyndic(['filter', '--redis', value], { input: '' });
      expectInputError(run, /^syndic: option --redis ".*": .* \(expected redis:\/\/host:port\[\/db\], or cluster nodes redis:\/\/host:port,redis:\/\/host:port\)$/);
    }
  });
});

describe.skipIf(binary === null)('Redis failing during a filter stream', () => {
  it('killed for longer than --redis-wait: exit 2 naming the URL; every record printed as accepted is stored', async () => {
    const { port, url, folder, run } = await killMidStream('killed', randomTexts(3000, 21, 40), 1);
    const code = await run.exited;
    expect(code, run.output.stderr).toBe(2);
    expect(run.output.stderr).not.toMatch(/\n\s+at /);
    expect(run.output.stderr.trimEnd()).toMatch(new RegExp(`^syndic: Redis at ${url.replace(/\./g, '\\.')}: .*gave up after waiting 1\\.0 s \\(--redis-wait\\)$`));
    const printed = ids(run.output.stdout);
    expect(printed.length).toBeGreaterThanOrEqual(300);
    expect(printed.length).toBeLessThan(3000);
    const server = await startServer(port, folder);
    expect(await missing(url, printed)).toEqual([]);
    await server.stop();
  });

  it('restarted within --redis-wait (a short outage): exit 0, nothing lost', async () => {
    const texts = randomTexts(2000, 22, 40);
    const { port, url, folder, run } = await killMidStream('outage', texts, 20);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await startServer(port, folder);
    const code = await run.exited;
    expect(code, run.output.stderr).toBe(0);
    const printed = ids(run.output.stdout);
    // Random texts: every one is new, and each was accepted exactly once.
    expect(printed.sort()).toEqual(texts.map((_, i) => `r${i}`).sort());
    expect(await missing(url, printed)).toEqual([]);
    await again.stop();
  });

  it('restarted with a data set that takes seconds to load (LOADING): the filter waits and ends with exit 0', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    const folder = subfolder('loading');
    const filler = await startRedis(binary!, ['--enable-debug-command', 'yes', '--dbfilename', 'dump.rdb'], port, folder);
    await redisCli(['-p', String(port), 'debug', 'populate', '100000', 'filler']);
    await redisCli(['-p', String(port), 'save']);
    await filler.stop();
    // key-load-delay (µs per key loaded) makes loading take seconds, longer than the ~2.4 s that used to end every worker.
    const loading = spawn(binary!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--dbfilename', 'dump.rdb', '--save', '', '--key-load-delay', '60', '--logfile', path.join(folder, 'log')], { stdio: 'ignore' });
    try {
      const busy = async (): Promise<boolean> => /LOADING/.test(await redisCli(['-p', String(port), 'ping']).catch((error: Error) => error.message));
      const deadline = Date.now() + 5000;
      while (!(await busy())) {
        if (Date.now() > deadline) throw new Error('redis-server never reported LOADING');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const started = Date.now();
      const texts = randomTexts(200, 23, 30);
      const run = await runSyndic(['filter', '--redis', url, '--redis-wait', '60'], { input: texts.map((text, i) => line({ id: `l${i}`, text })).join('') });
      expect(run.code, run.stderr).toBe(0);
      expect(ids(run.stdout)).toHaveLength(200);
      const loadedSeconds = Number(/DB loaded from disk: ([\d.]+) seconds/.exec(readFileSync(path.join(folder, 'log'), 'utf8'))?.[1]);
      expect(loadedSeconds).toBeGreaterThan(2.4);
      expect(Date.now() - started).toBeGreaterThan(1000);
    } finally {
      loading.kill('SIGKILL');
    }
  });
});
