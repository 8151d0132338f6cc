-- wrk script: GET <prefix><random integer in [low, high]>, with an optional bearer token.
--   wrk ... -s benches/random_get.lua URL -- PREFIX LOW HIGH [TOKEN]
-- Every thread draws from its own fixed seed, so that two runs (jianyi and the baseline) ask
-- for the same ids in the same order. done() prints one RESULT line for benches/run.sh.

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  low = tonumber(args[2])
  high = tonumber(args[3])
  if args[4] ~= nil and args[4] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[4]
  end
  math.randomseed(7919 + 104729 * tid)
end

function request()
  return wrk.format("GET", prefix .. math.random(low, high))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f mean_us=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), latency.mean,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
