/**
 * Throwaway Redis servers on free loopback ports, for the Redis backend tests: a standalone
 * server and a real Redis Cluster of three masters (three redis-server processes joined by
 * `redis-cli --cluster create`). The global setup starts one of each when the binaries exist;
 * tests read `inject('redisUrl')` and `inject('redisClusterUrls')` (empty when there is no
 * server, with the reason in `inject('redisSkipReason')`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A running server and how to stop it. */
export interface RedisServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A running cluster and how to stop it. */
export interface RedisClusterProcesses {
  urls: string[];
  ports: number[];
  servers: RedisServer[];
  stop(): Promise<void>;
}

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function which(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const binary = found.stdout.trim();
  return found.status === 0 && binary ? binary : null;
}

/** Path of redis-server, or null when it is not installed. */
export function findRedisServer(): string | null {
  return which('redis-server');
}

/** Path of redis-cli (Debian: redis-tools), or null. */
export function findRedisCli(): string | null {
  return which('redis-cli');
}

/**
 * Start redis-server on a free port (extra arguments appended); resolves when it accepts
 * connections. A port picked here can be taken between the pick and the bind, and a cluster node
 * also binds its bus at port + 10000, which the pick does not check: such a start is tried again
 * on another port.
 */
export async function startRedis(binary: string, extra: string[] = [], port?: number, directory?: string): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisOn(binary, extra, port ?? (await freePort()), directory);
    } catch (error) {
      const taken = error instanceof Error && /Address already in use|Failed listening on port/.test(error.message);
      if (port !== undefined || !taken || attempt === 5) throw error;
    }
  }
}

async function startRedisOn(binary: string, extra: string[], chosen: number, directory?: string): Promise<RedisServer> {
  const dir = directory ?? mkdtempSync(path.join(tmpdir(), 'syndic-redis-'));
  const child: ChildProcess = spawn(binary, ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (directory === undefined) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  child.stdout!.resume();
  return {
    url: `redis://127.0.0.1:${chosen}/0`,
    port: chosen,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (directory === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Run redis-cli with arguments; resolves to its output, rejects on a non-zero exit. */
export function redisCli(args: string[]): Promise<string> {
  const binary = findRedisCli();
  if (binary === null) return Promise.reject(new Error('redis-cli is not installed (apt-get install redis-tools)'));
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`redis-cli ${args.join(' ')} exited with ${code}: ${output}`))));
  });
}

/** Start three cluster-enabled servers and join them as a 3-master cluster; resolves when every node reports cluster_state:ok. */
export async function startRedisCluster(binary: string): Promise<RedisClusterProcesses> {
  const servers: RedisServer[] = [];
  try {
    for (let n = 0; n < 3; n++) servers.push(await startRedis(binary, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000']));
    await redisCli(['--cluster', 'create', ...servers.map((server) => `127.0.0.1:${server.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + 20_000;
    for (const server of servers) {
      while (!/cluster_state:ok/.test(await redisCli(['-p', String(server.port), 'cluster', 'info']))) {
        if (Date.now() > deadline) throw new Error(`cluster node ${server.port} did not reach cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return {
    urls: servers.map((server) => server.url),
    ports: servers.map((server) => server.port),
    servers,
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}
