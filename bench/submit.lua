-- wrk script: POSTs a complete, valid submission with a fresh v4 UUID on
-- every request, so each one is stored (201), never answered as a retry.
--
--   wrk -s bench/submit.lua URL -- BODY_FILE TOKEN
--
-- BODY_FILE holds the submission JSON with the id
-- 00000000-0000-4000-8000-000000000000 (bench_submit --print-body); TOKEN
-- is a bearer token. done() prints one line, "statuses {"201":N,...}",
-- counted from every response.

local placeholder = "00000000-0000-4000-8000-000000000000"
local threads = {}
local next_thread_id = 0

function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
  table.insert(threads, thread)
end

local prefix, suffix, headers, counter
statuses = {}  -- global: done() reads it from each thread with thread:get

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a"):gsub("%s+$", "")
  file:close()
  local at = assert(body:find(placeholder, 1, true), "no placeholder id in " .. args[1])
  prefix, suffix = body:sub(1, at - 1), body:sub(at + #placeholder)
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2]}
  math.randomseed(os.time() * 1000 + thread_id)
  counter = 0
  statuses = {}
end

-- Random except for the last 12 hex digits: the thread and a counter, so
-- ids never repeat within a run whatever the random generator does.
local function uuid()
  counter = counter + 1
  return string.format("%08x-%04x-4%03x-%04x-%04x%08x", math.random(0, 0x7fffffff),
                       math.random(0, 0xffff), math.random(0, 0xfff),
                       0x8000 + math.random(0, 0x3fff), thread_id, counter)
end

function request()
  return wrk.format("POST", nil, headers, prefix .. uuid() .. suffix)
end

function response(status, response_headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, string.format('"%d":%d', status, n)) end
  io.write("statuses {" .. table.concat(parts, ",") .. "}\n")
end
