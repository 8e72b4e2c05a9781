-- search_api.lua - GET /api/v1/jobs?<query>, each request a query picked at random from
-- the pre-generated mix (bench/out/queries.txt, made by bench/make-queries.mjs).
--   wrk -s bench/wrk/search_api.lua URL [-- QUERIES_FILE]
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local queries

function init(args)
  bench.init_thread()
  queries = bench.read_lines(args[1] or "bench/out/queries.txt")
end

function request()
  local q = queries[math.random(#queries)]
  return wrk.format("GET", q == "" and "/api/v1/jobs" or "/api/v1/jobs?" .. q)
end
