-- wrk script for the Node.js peer's side of bench/side-by-side.sh: `wrk ... -s peer.lua -- <scenario>`,
-- the same requests as bench.lua's get, doctor, create, list and login, in the peer's API
-- (Rishidubey15/healthcare-backend: its ids, its token, its body rules: age > 0).
-- Environment (set by side-by-side.sh): PEER_TOKEN (the peer user's token), PEER_PATIENT_FIRST and
-- PEER_PATIENTS (the peer user's seeded patients: ids FIRST..FIRST+N-1), PEER_DOCTOR_FIRST and
-- PEER_DOCTORS, PEER_EMAIL, PEER_PASSWORD. The output line (BENCH_JSON) is bench.lua's.
local scenario
local TOKEN, PF, PN, DF, DN, EMAIL, PASSWORD
local json_hdr = { ["Content-Type"] = "application/json" }
local auth

function init(args)
  scenario = args[1] or "get"
  TOKEN = os.getenv("PEER_TOKEN")
  PF = tonumber(os.getenv("PEER_PATIENT_FIRST")); PN = tonumber(os.getenv("PEER_PATIENTS"))
  DF = tonumber(os.getenv("PEER_DOCTOR_FIRST")); DN = tonumber(os.getenv("PEER_DOCTORS"))
  EMAIL = os.getenv("PEER_EMAIL"); PASSWORD = os.getenv("PEER_PASSWORD")
  auth = { ["Authorization"] = "Bearer " .. TOKEN, ["Content-Type"] = "application/json" }
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local scenarios = {
  get = function() return wrk.format("GET", "/api/patients/" .. (PF + math.random(0, PN - 1)), auth) end,
  -- The peer's GET /api/doctors/{id} is public (no token): it is sent as the peer serves it.
  doctor = function() return wrk.format("GET", "/api/doctors/" .. (DF + math.random(0, DN - 1)), auth) end,
  -- The peer's list has no paging: every patient of the user (PEER_PATIENTS rows) per request.
  list = function() return wrk.format("GET", "/api/patients", auth) end,
  create = function()
    local n = math.random(1, 1000000)
    return wrk.format("POST", "/api/patients", auth,
      '{"name":"Load Test ' .. n .. '","age":' .. (n % 89 + 1) .. ',"gender":"F","address":"1 Bench Road",'
      .. '"phone":"+1 555 0100","email":"load-' .. n .. '@mail.example","disease":"Hypertension"}')
  end,
  login = function()
    return wrk.format("POST", "/api/auth/login", json_hdr, '{"email":"' .. EMAIL .. '","password":"' .. PASSWORD .. '"}')
  end,
}

function request()
  return scenarios[scenario]()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
