-- wrk script: POST /api/v1/detections, one JSON frame per request.
-- camera_id cycles over BENCH_CAMERAS (default 50) cameras, frame_id is unique per request.
-- Run: wrk -t1 -c64 -d20s -s bench/single.lua http://127.0.0.1:18080
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local F = dofile(dir .. "frames.lua")

local threads = {}
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local n, cam, base
local headers = { ["Content-Type"] = "application/json" }
local path = "/api/v1/detections"
codes = {}

function init(args)
  n = 0
  cam = (tid or 0) * 7
  base = (tid or 0) * 1000000000
end

function request()
  n = n + 1
  local body = F.frame(cam + n, base + n, os.time() * 1000 + (n % 1000))
  return wrk.format("POST", path, headers, body)
end

-- BENCH_DELAY_MS: each connection waits that long between requests (a paced load, not wrk's flat-out one).
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pace and pace > 0 then
  function delay()
    return pace
  end
end

-- Per-status breakdown only with BENCH_STATUS_CODES=1: a Lua response() hook costs wrk ~10% of its
-- throughput. wrk counts non-2xx/3xx responses itself either way (summary.errors.status).
if os.getenv("BENCH_STATUS_CODES") == "1" then
  function response(status, hdrs, body)
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  F.report("single", summary, latency, requests, 1, threads)
end
