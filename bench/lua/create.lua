-- POST of a new record (JSON), with a different title and number each request.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local statuses = { "a", "b", "c" }
local body = string.rep("lorem ipsum ", 8)
local counter = 0

setup = function(thread)
  thread:set("offset", math.random(1, 1000000) * 1000)
end

request = function()
  counter = counter + 1
  local n = (offset or 0) + counter
  return wrk.format(nil, nil, nil,
    string.format('{"title":"created %d","n":%d,"status":"%s","body":"%s"}', n, n % 10000, statuses[n % 3 + 1], body))
end
