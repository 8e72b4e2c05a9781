-- search_page.lua - GET /jobs?<query>, the full HTML search page (not the HTMX fragment),
-- with the same query mix as search_api.lua.
--   wrk -s bench/wrk/search_page.lua URL [-- QUERIES_FILE]
local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local queries

function init(args)
  bench.init_thread()
  queries = bench.read_lines(args[1] or "bench/out/queries.txt")
end

function request()
  local q = queries[math.random(#queries)]
  return wrk.format("GET", q == "" and "/jobs" or "/jobs?" .. q)
end
