-- Shared frame generator for the wrk scripts (loaded with dofile by single.lua / batch.lua).
-- Keep in step with Frames in OpenLoop.java: same template, same label set, same size range.
--
-- A frame looks like
--   {"camera_id":"cam-007","frame_id":12345,"timestamp":1732380000000,"model_type":"yolov8n",
--    "detections":[{"label":"person","confidence":0.91,"bbox":[10,20,110,220],"track_id":3}, ...]}
-- with 2..6 detections: 260..560 bytes, about 410 bytes on average.

local M = {}

M.cameras = tonumber(os.getenv("BENCH_CAMERAS") or "50")

local labels = { "person", "car", "truck", "bicycle", "dog", "backpack", "motorcycle", "bus" }
local models = { "yolov8n", "yolov8s", "yolov5s" }

-- 64 pre-built detection lists: the per-request work is one string.format.
local variants = {}
math.randomseed(42)
for v = 1, 64 do
  local n = 2 + (v % 5)                     -- 2..6 detections
  local parts = {}
  for d = 1, n do
    local x1, y1 = math.random(0, 1200), math.random(0, 600)
    local w, h = math.random(20, 400), math.random(20, 400)
    parts[d] = string.format('{"label":"%s","confidence":%.2f,"bbox":[%d,%d,%d,%d],"track_id":%d}',
      labels[math.random(#labels)], 0.30 + math.random() * 0.69, x1, y1, x1 + w, y1 + h, math.random(1, 500))
  end
  variants[v] = "[" .. table.concat(parts, ",") .. "]"
end
M.variants = variants

-- One frame. cam is 0-based and wrapped to the camera count; frame_id any integer.
function M.frame(cam, frame_id, ts)
  return string.format('{"camera_id":"cam-%03d","frame_id":%d,"timestamp":%d,"model_type":"%s","detections":%s}',
    cam % M.cameras, frame_id, ts, models[(frame_id % #models) + 1], variants[(frame_id % #variants) + 1])
end

-- Shared done() reporting: one machine-readable line (parsed by run.sh) plus the thread-summed
-- status-code breakdown when the script collected one.
function M.report(name, summary, latency, requests, records_per_request, threads)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local codes = {}
  if threads then
    local agg = {}
    for _, t in ipairs(threads) do
      local c = t:get("codes")
      if c then for k, n in pairs(c) do agg[k] = (agg[k] or 0) + n end end
    end
    for k, n in pairs(agg) do codes[#codes + 1] = k .. ":" .. n end
    table.sort(codes)
  end
  io.write(string.format(
    "BENCH name=%s requests=%d duration_s=%.3f req_per_s=%.1f records_per_s=%.1f " ..
    "lat_mean_ms=%.3f lat_p50_ms=%.3f lat_p90_ms=%.3f lat_p99_ms=%.3f lat_p999_ms=%.3f lat_max_ms=%.3f " ..
    "non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d bytes=%d codes=%s\n",
    name, summary.requests, secs, summary.requests / secs, summary.requests * records_per_request / secs,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, summary.bytes,
    (#codes > 0) and table.concat(codes, ",") or "-"))
end

return M
