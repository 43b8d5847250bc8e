-- The write + answer load of api.sh and pairs.sh: odd requests import one observation (a new value each time), even
-- ones ask for the funnel that write changed. TOKEN (viewer) and WRITE_TOKEN (editor) come from the environment.
counter = 0
request = function()
  counter = counter + 1
  if counter % 2 == 1 then
    local body = string.format('{"observations":[{"date":"2028-09-15","channel":"amazon","market":"US","device":"mobile","metric":"orders","value":%d}]}', 1000000 + counter)
    return wrk.format("POST", "/api/v1/observations", {["Authorization"] = "Bearer " .. os.getenv("WRITE_TOKEN"), ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/api/v1/funnel?from=2028-09-01&to=2028-09-30&channel=amazon", {["Authorization"] = "Bearer " .. os.getenv("TOKEN")})
end
