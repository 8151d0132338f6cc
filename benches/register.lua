-- wrk script: POST /api/v1/suggestions/{id}/register over the submitted ids [first, last].
--   wrk -tT ... -s benches/register.lua URL -- FIRST LAST T TOKEN
-- The range is split between the T threads; within a thread the connections take the next id
-- in turn, so no id is asked for twice. Only 200 answers count as registrations; the others are
-- counted by status and printed. A thread that runs out of ids asks for id 0 instead (refused,
-- counted as non-200) and reports exhausted=1: seed more. done() prints one RESULT line for run.sh.

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  local first, last, count = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  local span = math.floor((last - first + 1) / count)
  lo = first + tid * span
  hi = lo + span - 1
  if tid == count - 1 then hi = last end
  next_id = lo
  ok = 0
  other = 0
  exhausted = 0
  statuses = ""
  seen = {}
  wrk.headers["Authorization"] = "Bearer " .. args[4]
end

function request()
  local id = next_id
  if id > hi then
    -- Out of ids: ask for one that does not exist rather than one already registered, and say so.
    exhausted = 1
    return wrk.format("POST", "/api/v1/suggestions/0/register")
  end
  next_id = id + 1
  return wrk.format("POST", "/api/v1/suggestions/" .. id .. "/register")
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    seen[status] = (seen[status] or 0) + 1
    local parts = {}
    for s, n in pairs(seen) do table.insert(parts, s .. ":" .. n) end
    statuses = table.concat(parts, ",")
  end
end

function done(summary, latency, requests)
  local ok_total, other_total, exhausted_any, by_status = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    other_total = other_total + t:get("other")
    if t:get("exhausted") == 1 then exhausted_any = 1 end
    local s = t:get("statuses")
    if s ~= "" then table.insert(by_status, s) end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_us=%d ok=%d non200=%d ok_per_s=%.1f mean_us=%.1f p99_us=%d exhausted=%d statuses=%s\n",
    summary.requests, summary.duration, ok_total, other_total, ok_total / seconds, latency.mean,
    latency:percentile(99), exhausted_any, (#by_status > 0) and table.concat(by_status, ",") or "none"))
end
