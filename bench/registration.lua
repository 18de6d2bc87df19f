-- wrk script: POST /api/v1/public/registrations with a distinct email per request (SPEC §8 P2).
-- Reads TOKEN, AGENCY and NOTICE from the environment (set by bench/load.sh).
-- RATE=n paces the requests: n a second in all (THREADS, default 2, must match wrk -t), each sent at its slot by
-- whichever connection is free, instead of each connection sending again as soon as it has its answer. With every
-- connection busy, throughput is what a closed loop measures and latency follows from it (connections ÷ rate); at a
-- fixed rate both programs get the same load and the p99 compares their tails alone. Give wrk enough connections that
-- one is always free (a slot that finds none goes late; the count is printed): a late slot's wait would not be counted.
local token = os.getenv("TOKEN")
local agency = os.getenv("AGENCY")
local notice = os.getenv("NOTICE") or "1"
local threads = {}
local counter = 0
-- Each wrk thread gets its own prefix from setup() (a global in that thread's Lua state), so emails never repeat.

function setup(thread)
  thread:set("prefix", "t" .. #threads .. "x" .. tostring(os.time()))
  table.insert(threads, thread)
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"token":"%s","name":"負荷 太郎","email":"%s-%d@bench.example.jp","prefecture":"13","skills":["営業"],"consent":{"noticeVersion":%s,"agencyIds":["%s"]}}',
    token, prefix or "t", counter, notice, agency)
  return wrk.format("POST", "/api/v1/public/registrations", { ["Content-Type"] = "application/json" }, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *now);
  ]]
  local now = ffi.new("bench_timespec")
  local function milliseconds() ffi.C.clock_gettime(1, now); return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6 end
  local interval = 1000 * (tonumber(os.getenv("THREADS") or "2")) / rate -- this thread's share of the rate
  local slot
  late = 0

  -- Called before each request on each of this thread's connections: the connection takes the next slot.
  function delay()
    local t = milliseconds()
    slot = (slot or t) + interval
    local wait = slot - t
    if wait < -1 then late = late + 1 end
    return wait > 0 and wait or 0
  end

  function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do total = total + (thread:get("late") or 0) end
    io.write(string.format("paced: %d requests/s offered, %d sent more than 1 ms after their slot\n", rate, total))
  end
end
