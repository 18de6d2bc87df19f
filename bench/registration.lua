-- wrk script: POST /api/v1/public/registrations with a distinct email per request (SPEC §8 P2).
-- Reads TOKEN, AGENCY and NOTICE from the environment (set by bench/load.sh).
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
