-- POST of the same JSON body (BENCH_JSON) on every request: a record create without files.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_JSON")
