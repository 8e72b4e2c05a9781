-- job_page.lua - GET /jobs/{id} for a random id in 1..N (the HTML job page).
--   wrk -s bench/wrk/job_page.lua URL -- N
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local max_id

function init(args)
  bench.init_thread()
  max_id = tonumber(args[1] or "100000")
end

function request()
  return wrk.format("GET", "/jobs/" .. math.random(max_id))
end
