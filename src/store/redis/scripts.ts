/**
 * The Lua scripts of the Redis index. Each touches one key, or the bucket groups of one shard,
 * which share a hash tag (so it runs on the cluster node that owns that slot, and a slot migration
 * moves the keys together), and each is safe to run twice: the client repeats a command whose
 * reply was lost (see withRetry).
 */
import type { Cluster, Redis } from 'ioredis';

/**
 * KEYS the bucket groups of one shard (one hash tag, so one slot); ARGV[1] the most pairs one key
 * may hold; ARGV[2] per group in KEYS order its number of cells n, then n times: cell, tickets
 * (4 bytes each) whose pairs to remove, pairs (8 bytes each) to append (packed: cells.ts,
 * packChanges). One HMGET and at most one
 * HSET and one HDEL per group, whatever it does: a round's appends and the removals left by the
 * round before share the copy of each cell (round.ts).
 * Removal: tickets are found with plain string.find (C, not a Lua loop over every pair of the
 * cell); an emptied cell is deleted. Append: readers skip a bucket of more than maxBucketSize
 * members (as the file index does), so a key's pairs stop at `most` = maxBucketSize + 1: a
 * bucket of boilerplate stops growing instead of making every append copy, and every read send,
 * thousands of pairs.
 * Run twice, a pair is stored twice; readers take each (key, ticket) once, and a removal removes
 * every copy.
 */
export const UPDATE_CELLS = `
local most = tonumber(ARGV[1])
local data = ARGV[2]
local byte, sub = string.byte, string.sub
local names = {}
local at = 1
for k = 1, #KEYS do
  local n = byte(data, at) + 256 * byte(data, at + 1)
  at = at + 2
  local cells, removed, appended = {}, {}, {}
  for i = 1, n do
    local cell, t0, t1, t2, t3, p0, p1, p2, p3 = byte(data, at, at + 8)
    local tickets = t0 + 256 * (t1 + 256 * (t2 + 256 * t3))
    local pairs = p0 + 256 * (p1 + 256 * (p2 + 256 * p3))
    at = at + 9
    local name = names[cell]
    if not name then
      name = tostring(cell)
      names[cell] = name
    end
    cells[i] = name
    if tickets > 0 then
      removed[i] = sub(data, at, at + 4 * tickets - 1)
      at = at + 4 * tickets
    else
      removed[i] = ''
    end
    appended[i] = sub(data, at, at + 8 * pairs - 1)
    at = at + 8 * pairs
  end
  local current = redis.call('HMGET', KEYS[k], unpack(cells))
  local set, del = {}, {}
  for i = 1, n do
    local old = current[i] or ''
    local value = old
    local tickets = removed[i]
    if #value > 0 then
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
    end
    local added = appended[i]
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
      added = table.concat(parts)
    end
    value = value .. added
    if #value == 0 then
      if current[i] then del[#del + 1] = cells[i] end
    elseif value ~= old then
      set[#set + 1] = cells[i]
      set[#set + 1] = value
    end
  end
  if #set > 0 then redis.call('HSET', KEYS[k], unpack(set)) end
  if #del > 0 then redis.call('HDEL', KEYS[k], unpack(del)) end
end
return #KEYS
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
  syndicUpdate(keyCount: number, ...keysAndArgs: ScriptArg[]): Promise<number>;
  syndicState(key: string, allowed: string, next: string): Promise<[number, string]>;
};

/** The scripts that take several keys (the bucket groups of a shard). */
export const SHARD_SCRIPTS = ['syndicUpdate'] as const;

/** The scripts as ioredis commands: name → Lua and its number of keys (null: given first at each call). */
export const SCRIPTS = {
  syndicUpdate: { lua: UPDATE_CELLS, keys: null },
  syndicState: { lua: SET_STATE, keys: 1 },
} as const;
