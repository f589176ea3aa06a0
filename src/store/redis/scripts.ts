/**
 * The Lua scripts of the Redis index. Each touches one key, or the bucket groups of one shard,
 * which share a hash tag (so it runs on the cluster node that owns that slot, and a slot migration
 * moves the keys together), and each is safe to run twice: the client repeats a command whose
 * reply was lost (see withRetry).
 */
import type { Cluster, Redis } from 'ioredis';
import { BLOCKS_FIELD, CELL_BITS, STATE_FIELD, STATE_LEVEL } from './layout.js';

/**
 * KEYS the bucket groups of one shard (one hash tag, so one slot); ARGV[1] the most pairs one key
 * may hold; ARGV[2] the average number of whole 64-byte blocks per cell at which a group splits a
 * cell; ARGV[3] the highest level; ARGV[4] per group in KEYS order its number of cells n, then n
 * times: the cell's level and number, its count of tickets whose pairs to remove and of pairs to
 * append, the tickets (4 bytes each) and the pairs (8 bytes each), all u32 words (packed: cells.ts,
 * packChanges). Returns per group in KEYS order 1 when its changes were applied, 0 when a cell they
 * name is not one of the group's cells any more (split meanwhile: nothing of that group is
 * changed, and the client sends its changes again), then the group's state (layout.ts) after the
 * call.
 * One HMGET and at most one HSET and one HDEL per group, whatever it does: a round's appends and
 * the removals left by the round before share the copy of each cell (round.ts).
 * Removal: tickets are found with plain string.find (C, not a Lua loop over every pair of the
 * cell); an emptied cell is deleted. Append: readers skip a bucket of more than maxBucketSize
 * members (as the file index does), so a key's pairs stop at `most` = maxBucketSize + 1: a
 * bucket of boilerplate stops growing instead of making every append copy, and every read send,
 * thousands of pairs. Split: while the group's cells average more than ARGV[2] whole blocks (field
 * `n` counts them, so most appends to small cells leave it unwritten), the cell at the split
 * pointer is split in two by the next bit of its pairs' cell keys and the pointer moves on (linear
 * hashing), all in this call, so no reader sees a pair in two cells or in none; each split moves
 * one cell, so none makes Redis wait.
 * Run twice, a pair is stored twice; readers take each (key, ticket) once, and a removal removes
 * every copy.
 */
export const UPDATE_CELLS = `
local most = tonumber(ARGV[1])
local splitAt = tonumber(ARGV[2])
local top = tonumber(ARGV[3])
local data = ARGV[4]
local byte, sub, find, concat, floor = string.byte, string.sub, string.find, table.concat, math.floor
local STATE = ${STATE_LEVEL}
local CELLS = ${1 << CELL_BITS}
-- Field names by number (cellNumber in layout.ts: the cell at level 0, CELLS * 2^level + cell above).
local names = {}
local function name(level, cell)
  local number = level == 0 and cell or CELLS * 2 ^ level + cell
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
-- Split the cell at the pointer into its two children one level down; returns the new level, pointer and block count.
local function split(key, level, pointer, blocks)
  local field = name(level, pointer)
  local value = redis.call('HGET', key, field) or ''
  local bit = top - level - 1
  local at, unit = floor(bit / 8), 2 ^ (bit % 8)
  local low, high = {}, {}
  for j = 1, #value, 8 do
    if floor(byte(value, j + at) / unit) % 2 == 0 then low[#low + 1] = sub(value, j, j + 7) else high[#high + 1] = sub(value, j, j + 7) end
  end
  local set = {}
  blocks = blocks - floor(#value / 64)
  for c = 0, 1 do
    local part = concat(c == 0 and low or high)
    if #part > 0 then
      set[#set + 1] = name(level + 1, 2 * pointer + c)
      set[#set + 1] = part
      blocks = blocks + floor(#part / 64)
    end
  end
  if #value > 0 then redis.call('HDEL', key, field) end
  if #set > 0 then redis.call('HSET', key, unpack(set)) end
  pointer = pointer + 1
  if pointer == CELLS * 2 ^ level then return level + 1, 0, blocks end
  return level, pointer, blocks
end
local reply = {}
local at = 1
local function u32()
  local a, b, c, d = byte(data, at, at + 3)
  at = at + 4
  return a + 256 * (b + 256 * (c + 256 * d))
end
for k = 1, #KEYS do
  local n = u32()
  local levels, cells, fields, removed, appended = {}, {}, {'${STATE_FIELD}', '${BLOCKS_FIELD}'}, {}, {}
  for i = 1, n do
    local l0, l1, l2, l3, c0, c1, c2, c3, t0, t1, t2, t3, p0, p1, p2, p3 = byte(data, at, at + 15)
    local level = l0 + 256 * (l1 + 256 * (l2 + 256 * l3))
    local cell = c0 + 256 * (c1 + 256 * (c2 + 256 * c3))
    local tickets = t0 + 256 * (t1 + 256 * (t2 + 256 * t3))
    local pairs = p0 + 256 * (p1 + 256 * (p2 + 256 * p3))
    at = at + 16
    levels[i], cells[i] = level, cell
    fields[i + 2] = name(level, cell)
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
  local state = tonumber(current[1]) or 0
  local level, pointer = floor(state / STATE), state % STATE
  -- A cell is the group's when it is of the level and not split yet, or a child of one split.
  local ours = true
  for i = 1, n do
    local l, c = levels[i], cells[i]
    if not ((l == level and c >= pointer) or (l == level + 1 and floor(c / 2) < pointer)) then
      ours = false
      break
    end
  end
  if ours then
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
    if #del > 0 then call('HDEL', KEYS[k], del) end
    if #set > 0 then call('HSET', KEYS[k], set) end
    local was = state
    while level < top and blocks > splitAt * (CELLS * 2 ^ level + pointer) do
      level, pointer, blocks = split(KEYS[k], level, pointer, blocks)
    end
    state = level * STATE + pointer
    if state ~= was then redis.call('HSET', KEYS[k], '${STATE_FIELD}', state, '${BLOCKS_FIELD}', blocks)
    elseif blocks ~= before then redis.call('HSET', KEYS[k], '${BLOCKS_FIELD}', blocks) end
  end
  reply[#reply + 1] = ours and 1 or 0
  reply[#reply + 1] = state
end
return reply
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
