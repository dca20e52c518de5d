-- POST of a new record (JSON) with an id chosen by the client, as create.lua otherwise: 15 random characters of
-- [a-z0-9] per request, spread over the primary key as generated ids are (create-id.lua's are sequential per thread).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local statuses = { "a", "b", "c" }
local body = string.rep("lorem ipsum ", 8)
local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
local counter = 0
setup = function(thread) thread:set("seed", math.random(1, 100000000)) end
init = function() math.randomseed((seed or 1) + os.time()) end
request = function()
  counter = counter + 1
  local t = {}
  for i = 1, 15 do local k = math.random(1, 36); t[i] = alphabet:sub(k, k) end
  local n = counter
  return wrk.format(nil, nil, nil,
    string.format('{"id":"%s","title":"created %d","n":%d,"status":"%s","body":"%s"}',
      table.concat(t), n, n % 10000, statuses[n % 3 + 1], body))
end
