-- GET of the URL given on the command line (list page, filtered list).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
