-- wrk script for `make bench`: scripts/bench-verify-random.lua's unknown keys, each thread
-- stopping after FLOOD_KEYS / FLOOD_THREADS answers (a flood of FLOOD_KEYS keys).
dofile("scripts/bench-verify-random.lua")
local per_thread = math.floor(tonumber(os.getenv("FLOOD_KEYS") or "20000") / tonumber(os.getenv("FLOOD_THREADS") or "2"))
local answered = 0
setup = function(thread)
  thread:set("seed", math.random(1, 1000000000))
end
init = function()
  math.randomseed(os.time() + (seed or 0))
end
response = function()
  answered = answered + 1
  if answered >= per_thread then
    wrk.thread:stop()
  end
end
