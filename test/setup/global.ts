/**
 * Global test setup: starts a redis-server for the Redis backend tests when the binary exists
 * (CI installs it) and stops it at teardown. Other suites start what they need themselves.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { findRedisServer, startRedis, type RedisServer } from './redis.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binary = findRedisServer();
  let server: RedisServer | null = null;
  let reason = '';
  if (binary === null) reason = 'redis-server is not installed (apt-get install redis-server)';
  else {
    try {
      server = await startRedis(binary);
    } catch (error) {
      reason = `redis-server failed to start: ${(error as Error).message}`;
    }
  }
  // Locally a missing server or browser skips its suites with a message; CI installs both
  // (.ci/run), so there a skip would hide a broken install: fail instead.
  if (process.env.CI) {
    const missing = [reason, existsSync('/usr/bin/chromium') ? '' : '/usr/bin/chromium is not installed'].filter(Boolean);
    if (missing.length > 0) {
      await server?.stop();
      throw new Error(`CI must run every suite: ${missing.join('; ')}`);
    }
  }
  project.provide('redisUrl', server?.url ?? '');
  project.provide('redisSkipReason', reason);
  return async () => {
    await server?.stop();
  };
}
