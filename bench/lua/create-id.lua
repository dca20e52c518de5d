-- POST of a new record (JSON) with an id chosen by the client, as create.lua otherwise: 15 characters of [a-z0-9],
-- a random prefix per thread and a sequence number, so ids are sequential within a thread and never repeat.
-- BENCH_ID_SEED (env) seeds the prefixes: give each run its own, or a second run would repeat the first one's ids.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local statuses = { "a", "b", "c" }
local body = string.rep("lorem ipsum ", 8)
local alphabet = "abcdefghijklmnopqrstuvwxyz"
local counter = 0
math.randomseed(tonumber(os.getenv("BENCH_ID_SEED") or "") or os.time())

setup = function(thread)
  local prefix = ""
  for _ = 1, 6 do
    local k = math.random(1, #alphabet)
    prefix = prefix .. alphabet:sub(k, k)
  end
  thread:set("prefix", prefix)
  thread:set("offset", math.random(1, 1000000) * 1000)
end

request = function()
  counter = counter + 1
  local n = (offset or 0) + counter
  return wrk.format(nil, nil, nil,
    string.format('{"id":"%s%09d","title":"created %d","n":%d,"status":"%s","body":"%s"}',
      prefix, counter, n, n % 10000, statuses[n % 3 + 1], body))
end
