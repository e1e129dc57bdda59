-- wrk script used by bench/scale-out (bench/scale_out.py): each connection requests the paths given
-- after "--" in turn, every response whose status is not 2xx is counted (wrk itself counts only >= 400),
-- and done() prints a machine-readable summary (the "SCALE " lines, read by scale_out.py).
--
--   wrk -t1 -c16 -d8s -s bench/scale_out.lua https://localhost:8443 -- /help/de/csam-found/ /api/v1/route/?country=DE&situation=csam-found
--
-- Requests go to nginx, which sets X-Forwarded-Proto/-For itself; like a browser, they accept gzip.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

thread_number = 1
local paths = {}
local next_index = 1
non2xx = 0
statuses = ""
local counts = {}

function init(args)
  for i = 1, #args do
    paths[#paths + 1] = args[i]
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  wrk.headers["Accept-Encoding"] = "gzip"
  next_index = ((thread_number or 1) - 1) * 5 % #paths + 1
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
  io.write(string.format("SCALE requests=%d duration_us=%d bytes=%d\n",
    summary.requests, summary.duration, summary.bytes))
  io.write(string.format("SCALE errors connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    e.connect, e.read, e.write, e.timeout, bad))
  io.write(string.format("SCALE latency_us p50=%d p90=%d p99=%d max=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
  io.write("SCALE statuses " .. table.concat(parts, " ") .. "\n")
end
