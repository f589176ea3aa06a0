/**
 * Global test setup: starts a standalone redis-server and a 3-master Redis Cluster for the Redis
 * backend tests when the binaries exist (CI installs them) and stops them at teardown. Other
 * suites start what they need themselves.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { findRedisCli, findRedisServer, startRedis, startRedisCluster, type RedisClusterProcesses, type RedisServer } from './redis.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
