/**
 * Redis unreachable at start, and Redis killed in the middle of a filter stream: bounded retries,
 * exit 2 with a message naming the URL, and every record printed as accepted is stored (checked
 * after restarting the server from its append-only file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../cli/run.js';
import { findRedisServer, freePort } from '../setup/redis.js';
import { expectInputError, line, randomTexts, runSyndic, tempFolder } from './helpers.js';

const binary = findRedisServer();
const { dir } = tempFolder('redis');
const servers: ChildProcess[] = [];
afterAll(() => servers.forEach((server) => server.exitCode === null && server.kill('SIGKILL')));

/** Fsynced append-only file in the test folder: a restart finds every acknowledged write. */
const APPEND_ONLY = ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];

/** redis-server on `port` with `options`, data in the test folder; resolves once it accepts connections (while loading, too). */
async function startServer(port: number, options: string[] = APPEND_ONLY): Promise<ChildProcess> {
  const child = spawn(binary!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', `dump-${port}.rdb`, ...options], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // A server reading an RDB file accepts connections and replies LOADING until it is done.
      if (output.includes('Ready to accept connections') || output.includes('Loading RDB')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

/** The ids of the one syndic index on the server at `url`. */
async function storedIds(url: string): Promise<Set<string>> {
  const client = new Redis(url);
  try {
    const [idsKey] = await client.keys('syndic:*:ids');
    return new Set(await client.smembers(idsKey!));
  } finally {
    client.disconnect();
  }
}

describe('Redis unreachable at start', () => {
  it('filter, check and index build exit 2 naming the URL after a bounded retry', async () => {
    const url = `redis://127.0.0.1:${await freePort()}/0`;
    for (const command of [['filter'], ['check', '-'], ['index', 'build', '-']]) {
      const run = await runSyndic([...command, '--redis', url, '--redis-wait', '1'], { input: line({ id: 'a', text: 'some text to check' }) });
      expectInputError(run, new RegExp(`^syndic: cannot connect to Redis at ${url.replace(/\./g, '\\.')}: .*ECONNREFUSED.*; gave up after waiting 1 s for it \\(--redis-wait\\)$`));
      expect(run.stdout).toBe('');
    }
  });
});

describe.skipIf(binary === null)('Redis killed in the middle of a filter stream', () => {
  it('exits 2 naming the URL; every record printed as accepted is in Redis after a restart', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    let server = await startServer(port);
    const texts = randomTexts(3000, 21, 40);
    const child = spawn(process.execPath, [BIN, 'filter', '--redis', url, '--redis-wait', '1'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {}); // The filter stops reading when it fails.
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let killed = false;
    const enoughAccepted = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!killed && stdout.split('\n').length > 300) resolve();
      });
    });
    // Records go in slowly enough that the server dies with the stream still flowing.
    let sent = 0;
    const feeder = (async () => {
      while (sent < texts.length && child.exitCode === null) {
        child.stdin.write(line({ id: `r${sent}`, text: texts[sent] }));
        sent++;
        if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.stdin.end();
    })();
    await enoughAccepted;
    killed = true;
    server.kill('SIGKILL');
    const code = await exited;
    await feeder;

    expect(code, stderr).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr.trimEnd()).toMatch(new RegExp(`^syndic: Redis at ${url.replace(/\./g, '\\.')}: .*gave up after waiting 1 s for it \\(--redis-wait\\)$`));
    const printed = stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(printed.length).toBeGreaterThanOrEqual(300);
    expect(printed.length).toBeLessThan(texts.length);

    server = await startServer(port);
    const stored = await storedIds(url);
    server.kill('SIGKILL');
    expect(printed.filter((id) => !stored.has(id))).toEqual([]);
  });
});

describe.skipIf(binary === null)('Redis restarted in the middle of a filter stream, loading its data for seconds', () => {
  it('the filter waits it out (LOADING replies, within --redis-wait) and ends with exit 0; every record printed as accepted is stored', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    await startServer(port, ['--save', '', '--appendonly', 'no', '--enable-debug-command', 'local']);
    const client = new Redis(url, { retryStrategy: () => null });
    client.on('error', () => {}); // It sees the server go away.
    // 10,000 keys of ballast, each loaded with a 300 µs delay after the restart: seconds of LOADING.
    await client.call('DEBUG', 'POPULATE', '10000', 'ballast');
    const texts = randomTexts(1500, 23, 40);
    const child = spawn(process.execPath, [BIN, 'filter', '--redis', url, '--redis-wait', '30'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 500; i++) child.stdin.write(line({ id: `r${i}`, text: texts[i] }));
    while (stdout.split('\n').length <= 300) await new Promise((resolve) => setTimeout(resolve, 10));
    // SHUTDOWN SAVE writes the data (the filter's records too) and ends the server; the new one loads it slowly.
    await client.call('SHUTDOWN', 'SAVE').catch(() => {});
    client.disconnect();
    const restartedAt = Date.now();
    const server = await startServer(port, ['--save', '', '--appendonly', 'no', '--key-load-delay', '300', '--loading-process-events-interval-bytes', '1024']);
    for (let i = 500; i < texts.length; i++) child.stdin.write(line({ id: `r${i}`, text: texts[i] }));
    child.stdin.end();
    const code = await exited;
    expect(code, stderr).toBe(0);
    expect(Date.now() - restartedAt).toBeGreaterThan(1000);
    const printed = stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(printed).toHaveLength(texts.length);
    const stored = await storedIds(url);
    server.kill('SIGKILL');
    expect(printed.filter((id) => !stored.has(id))).toEqual([]);
  });
});
