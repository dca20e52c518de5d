-- GET of one record by id, a different seeded id each request (BENCH_IDS: one id per line).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")

local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do
  ids[#ids + 1] = line
end
local base = os.getenv("BENCH_RECORDS_PATH")

setup = function(thread)
  thread:set("seed", math.random(1, 1000000))
end

init = function(args)
  math.randomseed(seed or os.time())
end

request = function()
  return wrk.format("GET", base .. "/" .. ids[math.random(#ids)])
end
