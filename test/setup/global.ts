/**
 * Global test setup: starts a redis-server for the Redis backend tests when the binary exists
 * (CI installs it) and stops it at teardown. Other suites start what they need themselves.
 */
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
  project.provide('redisUrl', server?.url ?? '');
  project.provide('redisSkipReason', reason);
  return async () => {
    await server?.stop();
  };
}
