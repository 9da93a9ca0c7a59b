-- wrk script for `make bench`: POST /v1/keys/verify with a different, unknown key on
-- every request, so that no answer comes from the verification cache (the database path).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
math.randomseed(os.time())
request = function()
  local chars = {}
  for i = 1, 43 do
    local n = math.random(1, #alphabet)
    chars[i] = alphabet:sub(n, n)
  end
  return wrk.format(nil, nil, nil, '{"key":"stoa_sk_' .. table.concat(chars) .. '"}')
end
