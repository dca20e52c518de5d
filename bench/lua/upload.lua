-- POST of a new record with one file, as a browser's FormData sends it: a title and BENCH_UPLOAD_BYTES (102400) of
-- random bytes under the file field BENCH_UPLOAD_FIELD (doc). The body is built once; each request stores a new file.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")

local size = tonumber(os.getenv("BENCH_UPLOAD_BYTES") or "102400")
local field = os.getenv("BENCH_UPLOAD_FIELD") or "doc"
local boundary = "----basaltbench7d1f0a9c3e"

math.randomseed(42)
local bytes = {}
for i = 1, size do
  bytes[i] = string.char(math.random(0, 255))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = table.concat({
  "--", boundary, "\r\n",
  'Content-Disposition: form-data; name="title"\r\n\r\n',
  "upload\r\n",
  "--", boundary, "\r\n",
  'Content-Disposition: form-data; name="', field, '"; filename="upload.bin"\r\n',
  "Content-Type: application/octet-stream\r\n\r\n",
  table.concat(bytes), "\r\n",
  "--", boundary, "--\r\n",
})
