/**
 * Global test setup: builds dist/ when a source file is newer than it, then starts a standalone
 * redis-server and a 3-master Redis Cluster for the Redis backend tests when the binaries exist
 * (CI installs them) and stops them at teardown. Other suites start what they need themselves.
 *
 * Why build: worker threads run dist/parallel/worker.js (Node 20 cannot run TypeScript in a
 * worker) and CLI tests run dist/cli/main.js, so `npx vitest run FILE` after an edit would test
 * stale code in those without it. `npm test` builds before vitest starts, so there it is a no-op.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findRedisCli, findRedisServer, startRedis, startRedisCluster, type RedisClusterProcesses, type RedisServer } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** Comma-separated node URLs of a 3-master Redis Cluster. */
    redisClusterUrls: string;
    redisSkipReason: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Newest modification time of the files under `directory`. */
function newest(directory: string): number {
  let time = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) time = Math.max(time, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return time;
}

function buildIfStale(): void {
  const dist = join(ROOT, 'dist');
  if (existsSync(join(dist, 'parallel', 'worker.js')) && newest(dist) >= newest(join(ROOT, 'src'))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildIfStale();
  const binary = findRedisServer();
  let server: RedisServer | null = null;
  let cluster: RedisClusterProcesses | null = null;
  let reason = '';
  if (binary === null) reason = 'redis-server is not installed (apt-get install redis-server)';
  else if (findRedisCli() === null) reason = 'redis-cli is not installed (apt-get install redis-tools)';
  else {
    try {
      [server, cluster] = await Promise.all([startRedis(binary), startRedisCluster(binary)]);
    } catch (error) {
      reason = `Redis failed to start: ${(error as Error).message}`;
      await server?.stop();
      server = null;
    }
  }
  // Locally a missing server or browser skips its suites with a message; CI installs both
  // (.ci/run), so there a skip would hide a broken install: fail instead.
  if (process.env.CI) {
    const missing = [reason, existsSync('/usr/bin/chromium') ? '' : '/usr/bin/chromium is not installed'].filter(Boolean);
    if (missing.length > 0) {
      await server?.stop();
      await cluster?.stop();
      throw new Error(`CI must run every suite: ${missing.join('; ')}`);
    }
  }
  project.provide('redisUrl', server?.url ?? '');
  project.provide('redisClusterUrls', cluster?.urls.join(',') ?? '');
  project.provide('redisSkipReason', reason);
  return async () => {
    await Promise.all([server?.stop(), cluster?.stop()]);
  };
}
