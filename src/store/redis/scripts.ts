/**
 * The Lua scripts of the Redis index. Each touches one key, or the bucket groups of one shard,
 * which share a hash tag (so it runs on the cluster node that owns that slot, and a slot migration
 * moves the keys together), and each is safe to run twice: the client repeats a command whose
 * reply was lost (see withRetry).
 */
import type { Cluster, Redis } from 'ioredis';

/**
 * Lua of the shard scripts: the number of cells of the group whose arguments start at ARGV[at]
 * (that number, then cell, bytes, cell, bytes, …), their names, and their current values.
 */
const GROUP_CELLS = `
local function groupCells(key, at)
  local n = tonumber(ARGV[at])
  local cells = {}
  for i = 1, n do cells[i] = ARGV[at + 2 * i - 1] end
  return n, cells, redis.call('HMGET', key, unpack(cells))
end
`;

/**
 * KEYS the bucket groups of one shard (one hash tag, so one slot); ARGV[1] the most pairs one key
 * may hold; then per group in KEYS order: its number of cells n, then n times cell, pairs (8 bytes
 * each). Appends the pairs to each cell, leaving out the pairs of a key that already holds that
 * many. Readers skip a bucket of more than maxBucketSize members (as the file index does), so a
 * bucket of boilerplate stops growing at maxBucketSize + 1 instead of making every append copy,
 * and every read send, thousands of pairs. One HMGET and one HSET per group.
 * Run twice, a pair is stored twice; readers take each (key, ticket) once, and a removal removes
 * every copy.
 */
export const APPEND_CELLS = `${GROUP_CELLS}
local most = tonumber(ARGV[1])
local at = 2
for k = 1, #KEYS do
  local n, cells, current = groupCells(KEYS[k], at)
  local out = {}
  for i = 1, n do
    local value = current[i] or ''
    local added = ARGV[at + 2 * i]
    local kept = added
    if #value + #added > 8 * most then
      -- A cell this long may hold a full bucket: count the pairs of each key added (aligned matches).
      local room = {}
      local parts = {}
      for from = 1, #added, 8 do
        local key = string.sub(added, from, from + 3)
        if room[key] == nil then
          local held, start = 0, 1
          while held < most do
            local found = string.find(value, key, start, true)
            if not found then break end
            if (found - 1) % 8 == 0 then held = held + 1 start = found + 8 else start = found + 1 end
          end
          room[key] = most - held
        end
        if room[key] > 0 then
          room[key] = room[key] - 1
          parts[#parts + 1] = string.sub(added, from, from + 7)
        end
      end
      kept = table.concat(parts)
    end
    out[2 * i - 1] = cells[i]
    out[2 * i] = value .. kept
  end
  redis.call('HSET', KEYS[k], unpack(out))
  at = at + 1 + 2 * n
end
return #KEYS
`;

/**
 * KEYS the bucket groups of one shard; ARGV per group in KEYS order: its number of cells n, then n
 * times cell, tickets (4 bytes each) whose pairs to remove from that cell (an emptied cell is
 * deleted). The tickets are found with plain string.find (C, not a Lua loop over every pair of
 * the cell), so a removal costs little more than the copy of the cells it changes, however full
 * they are.
 */
export const REMOVE_PAIRS = `${GROUP_CELLS}
local at = 1
for k = 1, #KEYS do
  local n, cells, current = groupCells(KEYS[k], at)
  local set, del = {}, {}
  for i = 1, n do
    local value = current[i]
    if value then
      local before = #value
      local tickets = ARGV[at + 2 * i]
      for t = 1, #tickets, 4 do
        local ticket = string.sub(tickets, t, t + 3)
        local from = 1
        while true do
          local found = string.find(value, ticket, from, true)
          if not found then break end
          if (found - 1) % 8 == 4 then
            value = string.sub(value, 1, found - 5) .. string.sub(value, found + 4)
            from = found - 4
          else
            from = found + 1
          end
        end
      end
      if #value == 0 then
        del[#del + 1] = cells[i]
      elseif #value ~= before then
        set[#set + 1] = cells[i]
        set[#set + 1] = value
      end
    end
  end
  if #set > 0 then redis.call('HSET', KEYS[k], unpack(set)) end
  if #del > 0 then redis.call('HDEL', KEYS[k], unpack(del)) end
  at = at + 1 + 2 * n
end
return 1
`;

/**
 * KEYS[1] a record; ARGV[1] the states it may be in (e.g. 'pq'), or '=' followed by the exact
 * header expected; ARGV[2] the new header. Returns 1 when the header was written (or already was
 * the new one: a repeat), 0 with the current header when the record is in another state, -1 when
 * the record does not exist.
 */
export const SET_STATE = `
local current = redis.call('GETRANGE', KEYS[1], 0, 15)
if current == '' then return {-1, ''} end
if current == ARGV[2] then return {1, current} end
local allowed
if string.sub(ARGV[1], 1, 1) == '=' then
  allowed = current == string.sub(ARGV[1], 2)
else
  allowed = string.find(ARGV[1], string.sub(current, 1, 1), 1, true) ~= nil
end
if not allowed then return {0, current} end
redis.call('SETRANGE', KEYS[1], 0, ARGV[2])
return {1, ARGV[2]}
`;

/** An argument of a script call. */
export type ScriptArg = string | Buffer | number;

/**
 * A client with the scripts defined on it (see {@link SCRIPTS}). The shard scripts take the
 * number of their keys first, then the keys, then their arguments.
 */
export type ScriptedClient = (Redis | Cluster) & {
  syndicAppend(keyCount: number, ...keysAndArgs: ScriptArg[]): Promise<number>;
  syndicRemovePairs(keyCount: number, ...keysAndArgs: ScriptArg[]): Promise<number>;
  syndicState(key: string, allowed: string, next: string): Promise<[number, string]>;
};

/** The scripts that take several keys (the bucket groups of a shard). */
export const SHARD_SCRIPTS = ['syndicAppend', 'syndicRemovePairs'] as const;

/** The scripts as ioredis commands: name → Lua and its number of keys (null: given first at each call). */
export const SCRIPTS = {
  syndicAppend: { lua: APPEND_CELLS, keys: null },
  syndicRemovePairs: { lua: REMOVE_PAIRS, keys: null },
  syndicState: { lua: SET_STATE, keys: 1 },
} as const;
