-- Public lookups by dossier number and secret, drawn at random from the
-- pairs `motcua seed --out` wrote (lookups.tsv beside this run's database).
local pairs_ = {}

function init(args)
  for line in io.lines(args[1]) do
    local number, secret = line:match("^(%S+)\t(%S+)$")
    if number then pairs_[#pairs_ + 1] = "/api/v1/lookup?number=" .. number .. "&secret=" .. secret end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", pairs_[math.random(#pairs_)])
end
