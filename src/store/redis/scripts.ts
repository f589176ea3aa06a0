/**
 * The Lua scripts of the Redis index. Each touches one key, or the bucket groups of one shard,
 * which share a hash tag (so it runs on the cluster node that owns that slot, and a slot migration
 * moves the keys together), and each is safe to run twice: the client repeats a command whose
 * reply was lost (see withRetry).
 */
import type { Cluster, Redis } from 'ioredis';

/**
 * KEYS the bucket groups of one shard (one hash tag, so one slot); ARGV[1] the most pairs one key
 * may hold; ARGV[2] the average number of 64-byte blocks per cell at which a group doubles its cells; ARGV[3] the
 * highest level; ARGV[4] per group in KEYS order the level its changes were made for, its
 * number of cells n, then n times: cell, tickets (4 bytes each) whose pairs to remove, pairs
 * (8 bytes each) to append (u32 words) (packed: cells.ts, packChanges). Returns, for each group whose level is
 * not the one its changes were made for, its position in KEYS and its level: those groups are left
 * as they were, and the client sends their changes again for that level.
 * One HMGET and at most one HSET and one HDEL per group, whatever it does: a round's appends and
 * the removals left by the round before share the copy of each cell (round.ts).
 * Removal: tickets are found with plain string.find (C, not a Lua loop over every pair of the
 * cell); an emptied cell is deleted. Append: readers skip a bucket of more than maxBucketSize
 * members (as the file index does), so a key's pairs stop at `most` = maxBucketSize + 1: a
 * bucket of boilerplate stops growing instead of making every append copy, and every read send,
 * thousands of pairs. Split: once the group's cells average ARGV[2] whole blocks of 64 bytes (field
 * `n` counts them, so that most appends to small cells leave it unwritten), every cell is split in
 * two by the next bit of its pairs' cell keys and the level goes up, all in this one call, so no
 * reader sees a pair in two cells or in none. Each pair moves once per level, so a split costs
 * no more, spread over the appends that filled the group, than copying each pair once.
 * Run twice, a pair is stored twice; readers take each (key, ticket) once, and a removal removes
 * every copy.
 */
export const UPDATE_CELLS = `
local most = tonumber(ARGV[1])
local splitAt = tonumber(ARGV[2])
local top = tonumber(ARGV[3])
local data = ARGV[4]
local byte, sub, find, concat, floor = string.byte, string.sub, string.find, table.concat, math.floor
local function u32(i)
  local a, b, c, d = byte(data, i, i + 3)
  return a + 256 * (b + 256 * (c + 256 * d))
end
-- Field names by number (cellName in layout.ts: the cell at level 0, 128 * 2^level + cell above).
local names = {}
local function name(number)
  local known = names[number]
  if not known then
    known = tostring(number)
    names[number] = known
  end
  return known
end
-- Commands on many fields in parts: Lua's unpack takes a few thousand values at most.
local function call(command, key, args)
  if #args <= 4000 then return redis.call(command, key, unpack(args)) end
  local reply = {}
  for from = 1, #args, 4000 do
    local part = redis.call(command, key, unpack(args, from, math.min(#args, from + 3999)))
    if type(part) == 'table' then for i = 1, #part do reply[#reply + 1] = part[i] end end
  end
  return reply
end
local function split(key, level)
  local all = redis.call('HGETALL', key)
  local offset = level == 0 and 0 or 128 * 2 ^ level
  local bit = top - level - 1
  local at, unit = floor(bit / 8), 2 ^ (bit % 8)
  local blocks = 0
  local set, del = {'L', level + 1}, {}
  for f = 1, #all, 2 do
    local field = all[f]
    if field ~= 'L' and field ~= 'n' then
      local cell = tonumber(field) - offset
      local value = all[f + 1]
      local low, high = {}, {}
      for j = 1, #value, 8 do
        if floor(byte(value, j + at) / unit) % 2 == 0 then low[#low + 1] = sub(value, j, j + 7) else high[#high + 1] = sub(value, j, j + 7) end
      end
      del[#del + 1] = field
      local child = 128 * 2 ^ (level + 1) + 2 * cell
      for c = 0, 1 do
        local part = concat(c == 0 and low or high)
        if #part > 0 then
          set[#set + 1] = name(child + c)
          set[#set + 1] = part
          blocks = blocks + floor(#part / 64)
        end
      end
    end
  end
  set[#set + 1] = 'n'
  set[#set + 1] = blocks
  call('HDEL', key, del)
  call('HSET', key, set)
end
local stale = {}
local at = 1
for k = 1, #KEYS do
  local level = byte(data, at)
  local n = u32(at + 4)
  at = at + 8
  local offset = level == 0 and 0 or 128 * 2 ^ level
  local fields, removed, appended = {'L', 'n'}, {}, {}
  for i = 1, n do
    local c0, c1, c2, c3, t0, t1, t2, t3, p0, p1, p2, p3 = byte(data, at, at + 11)
    local tickets = t0 + 256 * (t1 + 256 * (t2 + 256 * t3))
    local pairs = p0 + 256 * (p1 + 256 * (p2 + 256 * p3))
    at = at + 12
    local number = offset + c0 + 256 * (c1 + 256 * (c2 + 256 * c3))
    local field = names[number]
    if not field then
      field = tostring(number)
      names[number] = field
    end
    fields[i + 2] = field
    if tickets > 0 then
      removed[i] = sub(data, at, at + 4 * tickets - 1)
      at = at + 4 * tickets
    else
      removed[i] = false
    end
    appended[i] = sub(data, at, at + 8 * pairs - 1)
    at = at + 8 * pairs
  end
  local current = call('HMGET', KEYS[k], fields)
  local actual = tonumber(current[1]) or 0
  if actual ~= level then
    stale[#stale + 1] = k
    stale[#stale + 1] = actual
  else
    local blocks = tonumber(current[2]) or 0
    local before = blocks
    local set, del = {}, {}
    for i = 1, n do
      local old = current[i + 2] or ''
      local value = old
      local tickets = removed[i]
      if tickets and #value > 0 then
        for t = 1, #tickets, 4 do
          local ticket = sub(tickets, t, t + 3)
          local from = 1
          while true do
            local found = find(value, ticket, from, true)
            if not found then break end
            if (found - 1) % 8 == 4 then
              value = sub(value, 1, found - 5) .. sub(value, found + 4)
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
          local key = sub(added, from, from + 3)
          if room[key] == nil then
            local held, start = 0, 1
            while held < most do
              local found = find(value, key, start, true)
              if not found then break end
              if (found - 1) % 8 == 0 then held = held + 1 start = found + 8 else start = found + 1 end
            end
            room[key] = most - held
          end
          if room[key] > 0 then
            room[key] = room[key] - 1
            parts[#parts + 1] = sub(added, from, from + 7)
          end
        end
        added = concat(parts)
      end
      value = value .. added
      blocks = blocks + floor(#value / 64) - floor(#old / 64)
      if #value == 0 then
        if current[i + 2] then del[#del + 1] = fields[i + 2] end
      elseif value ~= old then
        set[#set + 1] = fields[i + 2]
        set[#set + 1] = value
      end
    end
    if blocks ~= before then
      set[#set + 1] = 'n'
      set[#set + 1] = blocks
    end
    if #del > 0 then call('HDEL', KEYS[k], del) end
    if #set > 0 then call('HSET', KEYS[k], set) end
    if level < top and blocks > splitAt * 128 * 2 ^ level then split(KEYS[k], level) end
  end
end
return stale
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
  syndicUpdate(keyCount: number, ...keysAndArgs: ScriptArg[]): Promise<number[]>;
  syndicState(key: string, allowed: string, next: string): Promise<[number, string]>;
};

/** The scripts that take several keys (the bucket groups of a shard). */
export const SHARD_SCRIPTS = ['syndicUpdate'] as const;

/** The scripts as ioredis commands: name → Lua and its number of keys (null: given first at each call). */
export const SCRIPTS = {
  syndicUpdate: { lua: UPDATE_CELLS, keys: null },
  syndicState: { lua: SET_STATE, keys: 1 },
} as const;
