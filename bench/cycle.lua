-- wrk script used by bench/common.py (run_wrk: bench/load, bench/throughput, ...) and bench/scale_out.py:
-- cycles through the request paths given after "--" on the wrk command line, counts every response
-- whose status is not 2xx, and prints a machine-readable summary in done().
--
--   wrk -t2 -c32 -d15s -s bench/cycle.lua http://127.0.0.1:8000 -- /help/de/csam-found/ /help/gb/my-images/
--
-- Each request carries "X-Forwarded-Proto: https", so that an HTTPS redirect enabled in production
-- settings (SECURE_SSL_REDIRECT behind SECURE_PROXY_SSL_HEADER) does not turn every answer into a 301.
-- The environment variable CYCLE_HEADERS, when set, replaces that header with its own, one "Name: value"
-- a line (bench/scale-out: "Accept-Encoding: gzip" to nginx, which sets X-Forwarded-Proto itself):
--
--   CYCLE_HEADERS='Accept-Encoding: gzip' wrk -t1 -c16 -d8s -s bench/cycle.lua https://localhost:8443 -- /
--
-- The lines starting with "BENCH " are read by bench/common.py (parse_wrk); keep their format in step with it.

local threads = {}

-- Runs in the main Lua state, once per thread, before the run: keep each thread to read its counters.
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- Everything below runs in each thread's own Lua state.
thread_number = 1 -- set by setup() before init()
local paths = {}
local next_index = 1
non2xx = 0        -- globals, so that done() can read them with thread:get()
statuses = ""     -- "404:3 500:1", only filled for statuses other than 2xx
local counts = {}

-- The headers sent with every request: CYCLE_HEADERS's "Name: value" lines, or X-Forwarded-Proto: https.
local function request_headers()
  local text = os.getenv("CYCLE_HEADERS")
  if text == nil then
    return { ["X-Forwarded-Proto"] = "https" }
  end
  local headers = {}
  for line in string.gmatch(text, "[^\n]+") do
    local name, value = string.match(line, "^%s*([^:%s]+)%s*:%s*(.-)%s*$")
    if name then
      headers[name] = value
    end
  end
  return headers
end

function init(args)
  -- args[0] is the URL; the paths follow.
  for i = 1, #args do
    paths[#paths + 1] = args[i]
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  for name, value in pairs(request_headers()) do
    wrk.headers[name] = value
  end
  -- Threads start at different places in the list (setup() numbered them before init() runs).
  next_index = ((thread_number or 1) - 1) * 7 % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    counts[status] = (counts[status] or 0) + 1
    local parts = {}
    for code, n in pairs(counts) do
      parts[#parts + 1] = code .. ":" .. n
    end
    statuses = table.concat(parts, " ")
  end
end

function done(summary, latency, requests)
  local bad, by_status = 0, {}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    local text = thread:get("statuses") or ""
    for code, n in string.gmatch(text, "(%d+):(%d+)") do
      by_status[code] = (by_status[code] or 0) + tonumber(n)
    end
  end
  local parts = {}
  for code, n in pairs(by_status) do
    parts[#parts + 1] = code .. "=" .. n
  end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d bytes=%d\n",
    summary.requests, summary.duration, summary.bytes))
  io.write(string.format("BENCH errors connect=%d read=%d write=%d timeout=%d status_ge_400=%d non2xx=%d\n",
    e.connect, e.read, e.write, e.timeout, e.status, bad))
  io.write(string.format("BENCH latency_us p50=%d p90=%d p99=%d max=%d mean=%.1f\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  io.write("BENCH non2xx_statuses " .. table.concat(parts, " ") .. "\n")
end
