-- wrk script: POST /api/v1/detections with a JSON array of BENCH_BATCH (default 100) frames,
-- or NDJSON (application/x-ndjson, one frame per line) with BENCH_BATCH_FORMAT=ndjson.
-- Every frame has its own frame_id; the frames of one batch spread over the cameras.
-- records/s = requests/s x BENCH_BATCH.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local F = dofile(dir .. "frames.lua")
local BATCH = tonumber(os.getenv("BENCH_BATCH") or "100")

local threads = {}
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local n, base
local NDJSON = os.getenv("BENCH_BATCH_FORMAT") == "ndjson"
local headers = { ["Content-Type"] = NDJSON and "application/x-ndjson" or "application/json" }
local path = "/api/v1/detections"
local parts = {}
codes = {}

function init(args)
  n = 0
  base = (tid or 0) * 1000000000
end

function request()
  local ts = os.time() * 1000
  for i = 1, BATCH do
    n = n + 1
    parts[i] = F.frame(n, base + n, ts + (n % 1000))
  end
  local body = NDJSON and (table.concat(parts, "\n", 1, BATCH) .. "\n") or ("[" .. table.concat(parts, ",", 1, BATCH) .. "]")
  return wrk.format("POST", path, headers, body)
end

-- Per-status breakdown only with BENCH_STATUS_CODES=1: a Lua response() hook costs wrk ~10% of its
-- throughput. wrk counts non-2xx/3xx responses itself either way (summary.errors.status).
if os.getenv("BENCH_STATUS_CODES") == "1" then
  function response(status, hdrs, body)
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  F.report("batch", summary, latency, requests, BATCH, threads)
end
