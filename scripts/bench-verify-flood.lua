-- wrk script for `make bench`: POST /v1/keys/verify with a new unknown key each request,
-- each thread stopping after FLOOD_KEYS / threads answers (a flood of FLOOD_KEYS keys).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = tonumber(os.getenv("FLOOD_THREADS") or "2")
local per_thread = math.floor(tonumber(os.getenv("FLOOD_KEYS") or "20000") / threads)
local answered = 0
setup = function(thread)
  thread:set("seed", math.random(1, 1000000000))
end
init = function()
  math.randomseed(os.time() + (seed or 0))
end
request = function()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(1, #alphabet)
    chars[i] = alphabet:sub(n, n)
  end
  return wrk.format(nil, nil, nil, '{"key":"stoa_sk_' .. table.concat(chars) .. '"}')
end
response = function()
  answered = answered + 1
  if answered >= per_thread then
    wrk.thread:stop()
  end
end
