-- Durable submissions at a counter (channel 1): a one-stop officer records a
-- dossier for an applicant who brought the papers. args: the API token, the
-- receiving unit's id, a procedure code the unit receives.
local body
local headers

function init(args)
  headers = {["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json"}
  body = '{"procedure_code":"' .. args[3] .. '","unit_id":' .. args[2] ..
         ',"channel":1,"consent":true,"applicant":{"full_name":"Nguyễn Thị Ánh",' ..
         '"id_number":"001203004567","phone":"0912345678"}}'
end

function request()
  return wrk.format("POST", "/api/v1/dossiers", headers, body)
end
