-- common.lua - shared by the Beacon wrk scripts (each loads it with dofile from its own folder).
--
-- Gives every wrk thread its own fixed random seed, counts responses per status code
-- in a `response` hook, and prints one machine-readable line from `done`:
--   BENCH {"requests":N,"rps":R,"p50_us":..,"p90_us":..,"p99_us":..,"max_us":..,
--          "non2xx":N,"statuses":{"200":N,...},"socket_errors":{...}}
-- bench/run parses that line; the human-readable wrk output (--latency) stays in the log.
-- The percentiles come from the same histogram wrk's --latency table prints.

local bench = {}
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- Called from each script's init(args); the seed depends only on the thread number.
function bench.init_thread()
  math.randomseed(1000 + (thread_id or 0))
  statuses = {}
end

function bench.read_lines(path)
  local lines = {}
  local f = io.open(path, "r")
  if f == nil then
    error("cannot read " .. path .. " (run node bench/make-queries.mjs)")
  end
  for line in f:lines() do
    table.insert(lines, line)
  end
  f:close()
  if #lines == 0 then
    error(path .. " is empty")
  end
  return lines
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  local non2xx = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses") or {}
    for code, n in pairs(s) do
      merged[code] = (merged[code] or 0) + n
      if code < 200 or code > 299 then
        non2xx = non2xx + n
      end
    end
  end
  local codes = {}
  for code, n in pairs(merged) do
    table.insert(codes, string.format('"%d":%d', code, n))
  end
  table.sort(codes)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"rps":%.1f,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"non2xx":%d,"statuses":{%s},' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status_over_399":%d}}\n',
    summary.requests, secs, summary.requests / secs, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, non2xx, table.concat(codes, ","),
    e.connect, e.read, e.write, e.timeout, e.status))
end

return bench
