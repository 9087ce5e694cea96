-- GETs with an API token, each of a path drawn at random from a file (one
-- path a line). args: the token, then the file.
local paths = {}
local headers

function init(args)
  headers = {["Authorization"] = "Bearer " .. args[1]}
  for line in io.lines(args[2]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
