-- A GET with an API token. args: the token, then the path.
local req

function init(args)
  req = wrk.format("GET", args[2], {["Authorization"] = "Bearer " .. args[1]})
end

function request()
  return req
end
