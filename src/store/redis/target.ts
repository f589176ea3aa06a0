/**
 * The `--redis` target (one server or the seed nodes of a cluster), parsed from URLs. Apart from
 * the client (connection.ts) so that commands that only check their options do not load ioredis.
 */
import { SyndicError } from '../../errors.js';

/** Where the index lives: one server, or the seed nodes of a Redis Cluster. */
export interface RedisTarget {
  cluster: boolean;
  /** Parsed node URLs (one for a standalone server). */
  nodes: Array<{ host: string; port: number; db: number; username?: string; password?: string; tls: boolean }>;
  /** The target as shown in messages (passwords hidden). */
  shown: string;
}

/**
 * Parse `--redis` (or `openIndex({ redis })`): one URL `redis://[user:pass@]host:port[/db]`, or
 * several, comma-separated or as an array, naming seed nodes of a cluster; `cluster` forces
 * cluster mode for one URL. `option` names the setting in the message of a usage error.
 */
export function parseRedisTarget(value: string | string[], cluster: boolean, option: string): RedisTarget {
  const list = (Array.isArray(value) ? value : value.split(',')).map((url) => url.trim());
  const bad = (why: string): SyndicError =>
    new SyndicError(`${option} ${JSON.stringify(Array.isArray(value) ? value.join(',') : value)}: ${why} (expected redis://host:port[/db], or cluster nodes redis://host:port,redis://host:port)`, 'usage');
  if (list.length === 0 || list.some((url) => url === '')) throw bad('empty URL');
  const nodes = list.map((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad(`"${url}" is not a URL`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw bad(`"${url}" is not a redis:// URL`);
    if (parsed.hostname === '') throw bad(`"${url}" names no host`);
    const port = parsed.port === '' ? 6379 : Number(parsed.port);
    const path = parsed.pathname.replace(/^\//, '');
    if (!/^\d*$/.test(path) || parsed.search !== '' || parsed.hash !== '') throw bad(`"${url}": the path must be a database number`);
    const node: RedisTarget['nodes'][number] = { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port, db: path === '' ? 0 : Number(path), tls: parsed.protocol === 'rediss:' };
    if (parsed.username) node.username = decodeURIComponent(parsed.username);
    if (parsed.password) node.password = decodeURIComponent(parsed.password);
    return node;
  });
  const isCluster = cluster || nodes.length > 1;
  if (isCluster && nodes.some((node) => node.db !== 0)) throw bad('a Redis Cluster has only database 0');
  return { cluster: isCluster, nodes, shown: list.map((url) => url.replace(/\/\/[^@/]*@/, '//***@')).join(',') };
}
