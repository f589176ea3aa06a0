/**
 * The Lua scripts of the Redis index. Each touches ONE key (so it runs on any cluster node that
 * owns the key, and a slot migration moves the key whole), and each is safe to run twice: the
 * client repeats a command whose reply was lost (see withRetry).
 */
import type { RedisClient } from './connection.js';

/**
 * KEYS[1] a bucket group; ARGV[1] the most pairs one key may hold; then cell, bytes, cell, bytes,
 * …: append the bytes (pairs) to each cell, leaving out the pairs of a key that already holds
 * that many. Readers skip a bucket of more than maxBucketSize members (as the file index does), so
 * a bucket of boilerplate stops growing at maxBucketSize + 1 instead of making every append copy,
 * and every read send, thousands of pairs. One HMGET and one HSET whatever the number of cells.
 * Run twice, a pair is stored twice; readers take each (key, ticket) once, and a removal removes
 * every copy.
 */
export const APPEND_CELLS = `
local most = tonumber(ARGV[1])
local n = (#ARGV - 1) / 2
local cells = {}
for i = 1, n do cells[i] = ARGV[2 * i] end
local current = redis.call('HMGET', KEYS[1], unpack(cells))
local out = {}
for i = 1, n do
  local value = current[i] or ''
  local added = ARGV[2 * i + 1]
  local kept = added
  if #value + #added > 8 * most then
    -- A cell this long may hold a full bucket: count the pairs of each key added (aligned matches).
    local room = {}
    local parts = {}
    for at = 1, #added, 8 do
      local key = string.sub(added, at, at + 3)
      if room[key] == nil then
        local held, from = 0, 1
        while held < most do
          local found = string.find(value, key, from, true)
          if not found then break end
          if (found - 1) % 8 == 0 then held = held + 1 from = found + 8 else from = found + 1 end
        end
        room[key] = most - held
      end
      if room[key] > 0 then
        room[key] = room[key] - 1
        parts[#parts + 1] = string.sub(added, at, at + 7)
      end
    end
    kept = table.concat(parts)
  end
  out[2 * i - 1] = cells[i]
  out[2 * i] = value .. kept
end
redis.call('HSET', KEYS[1], unpack(out))
return n
`;

/**
 * KEYS[1] a bucket group; ARGV cell, tickets, cell, tickets, …, each cell once with the tickets
 * (4 bytes each) whose pairs to remove from it (an emptied cell is deleted). The tickets are
 * found with plain string.find (C, not a Lua loop over every pair of the cell), so a removal costs
 * little more than the copy of the cells it changes, however full they are.
 */
export const REMOVE_PAIRS = `
local n = #ARGV / 2
local cells = {}
for i = 1, n do cells[i] = ARGV[2 * i - 1] end
local current = redis.call('HMGET', KEYS[1], unpack(cells))
local set, del = {}, {}
for i = 1, n do
  local value = current[i]
  if value then
    local before = #value
    local tickets = ARGV[2 * i]
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
if #set > 0 then redis.call('HSET', KEYS[1], unpack(set)) end
if #del > 0 then redis.call('HDEL', KEYS[1], unpack(del)) end
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

/** KEYS[1] an id group; ARGV[1] the id, ARGV[2] a ticket: forget the id if that ticket holds it. */
export const RELEASE_ID = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`;

/** An argument of a script call. */
export type ScriptArg = string | Buffer | number;

/** A client with the scripts defined on it (see {@link SCRIPTS}). */
export type ScriptedClient = RedisClient & {
  syndicAppend(key: string, ...args: ScriptArg[]): Promise<number>;
  syndicRemovePairs(key: string, ...args: ScriptArg[]): Promise<number>;
  syndicState(key: string, allowed: string, next: string): Promise<[number, string]>;
  syndicRelease(key: string, id: string, ticket: string): Promise<number>;
};

/** The scripts as ioredis commands (name → one-key Lua). */
export const SCRIPTS = {
  syndicAppend: APPEND_CELLS,
  syndicRemovePairs: REMOVE_PAIRS,
  syndicState: SET_STATE,
  syndicRelease: RELEASE_ID,
} as const;
