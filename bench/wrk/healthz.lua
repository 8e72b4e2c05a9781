-- healthz.lua - GET /healthz, the baseline every other endpoint is compared with.
-- Uses the same response hook as the other scripts so the client costs the same.
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")

function init(args)
  bench.init_thread()
end

function request()
  return wrk.format("GET", "/healthz")
end
