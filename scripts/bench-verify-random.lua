-- wrk script for `make bench`: POST /v1/keys/verify with a different, unknown key on
-- every request, so that no answer comes from the verification cache (the database path).
-- Each thread draws from a seed of its own (with one, the threads would send the same keys).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", os.time() * 100 + threads)
end
init = function()
  math.randomseed(seed)
end
request = function()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(1, #alphabet)
    chars[i] = alphabet:sub(n, n)
  end
  return wrk.format(nil, nil, nil, '{"key":"stoa_sk_' .. table.concat(chars) .. '"}')
end
