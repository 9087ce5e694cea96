-- Durable workflow transitions: each wrk thread walks its share of the
-- dossiers that `motcua seed --parked` left in processing, asking for
-- supplements on each, then recording the supplements, then again: every
-- request is one transition of a different dossier, committed before it is
-- answered. args: parked.txt, the API token, the number of slices,
-- the first slice of this process minus one (default 0).
local ids = {}
local next_index = 1
local round = 0
local token

local ask_body = '{"reason":"Hồ sơ chưa đầy đủ","items":[{"description":"Bổ sung bản sao giấy tờ tùy thân"}]}'

function setup(thread)
  -- Give each thread its own slice of the ids: no two connections ever act
  -- on one dossier at once.
  thread_count = (thread_count or 0) + 1
  thread:set("slice", thread_count)
end

function init(args)
  token = args[2]
  local all = {}
  for line in io.lines(args[1]) do all[#all + 1] = line end
  local slices = tonumber(args[3])
  -- With two wrk processes (two servers), the second's threads take the
  -- slices after the first's.
  local offset = tonumber(args[4] or "0")
  -- `slice` was set on this thread's state by setup().
  for i = tonumber(slice) + offset, #all, slices do ids[#ids + 1] = all[i] end
end

local primed = false

function request()
  -- wrk builds one request per thread before it connects and throws it
  -- away; that one must not move the walk on.
  if not primed then
    primed = true
    return wrk.format("GET", "/healthz")
  end
  local id = ids[next_index]
  local ask = round % 2 == 0
  next_index = next_index + 1
  if next_index > #ids then
    next_index = 1
    round = round + 1
  end
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if ask then
    return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/actions/request_supplement", headers, ask_body)
  end
  return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/actions/supplement", headers, "{}")
end
