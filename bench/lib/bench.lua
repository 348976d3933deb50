-- wrk script for every scenario of bench/run.sh: `wrk ... -s bench.lua -- <scenario>`.
-- Environment (set by run.sh): BENCH_TOKENS (file of "userId token" lines; the first line is
-- user 1, who owns patients 1..BENCH_OWN), BENCH_USERS, BENCH_PATIENTS, BENCH_DOCTORS,
-- BENCH_OWN, BENCH_PASSWORD. Patient ownership follows bench/lib/seed.sql.
local scenario
local users, tokens = {}, {}
local U, P, D, OWN, PASSWORD, ADMIN
local terms = { "ann", "son", "mar", "lee", "ria", "sen", "ito", "ros" }
local json_hdr = { ["Content-Type"] = "application/json" }

local function auth(i)
  return { ["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json" }
end

-- A random patient owned by user uid (see seed.sql for the layout).
local function patient_of(uid)
  if uid == 1 then return math.random(1, OWN) end
  local first = OWN + 1 + (uid - 2)
  local kmax = math.floor((P - first) / (U - 1))
  return first + math.random(0, kmax) * (U - 1)
end

function init(args)
  scenario = args[1] or "get"
  U = tonumber(os.getenv("BENCH_USERS")); P = tonumber(os.getenv("BENCH_PATIENTS"))
  D = tonumber(os.getenv("BENCH_DOCTORS")); OWN = tonumber(os.getenv("BENCH_OWN"))
  PASSWORD = os.getenv("BENCH_PASSWORD")
  ADMIN = os.getenv("BENCH_ADMIN_TOKEN")
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local uid, tok = line:match("^(%d+)%s+(%S+)$")
    if uid then users[#users + 1] = tonumber(uid); tokens[#tokens + 1] = tok end
  end
  -- A different random stream per thread (each thread has its own Lua state).
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function any_user() return math.random(1, #users) end

local function get_patient()
  local i = any_user()
  return wrk.format("GET", "/api/patients/" .. patient_of(users[i]), auth(i))
end
local function list() return wrk.format("GET", "/api/patients", auth(1)) end
local function search()
  return wrk.format("GET", "/api/patients?q=" .. terms[math.random(#terms)], auth(1))
end
local function doctor() return wrk.format("GET", "/api/doctors/" .. math.random(1, D), auth(any_user())) end
local function mappings()
  local i = any_user()
  return wrk.format("GET", "/api/mappings/patient/" .. patient_of(users[i]), auth(i))
end
local function create()
  local n = math.random(1, 1000000)
  return wrk.format("POST", "/api/patients", auth(any_user()),
    '{"name":"Load Test ' .. n .. '","age":' .. (n % 90) .. ',"gender":"F","address":"1 Bench Road",'
    .. '"phone":"+1 555 0100","email":"load-' .. n .. '@mail.example","disease":"Hypertension"}')
end
local function update()
  local i = any_user()
  return wrk.format("PUT", "/api/patients/" .. patient_of(users[i]), auth(i),
    '{"phone":"+1 555 ' .. math.random(1000, 9999) .. '"}')
end
-- A patient's history (3 revisions each, seed.sql), as its owner.
local function history()
  local i = any_user()
  return wrk.format("GET", "/api/patients/" .. patient_of(users[i]) .. "/history", auth(i))
end
-- The same read through the FHIR view (HAPI's model and JSON parser), as its owner.
local function fhir()
  local i = any_user()
  return wrk.format("GET", "/fhir/Patient/" .. patient_of(users[i]), auth(i))
end
-- "Who saw patient X" (admin): single reads, changes and the lists that returned X.
local function audit()
  return wrk.format("GET", "/api/audit?recordType=patient&recordId=" .. math.random(1, P),
    { ["Authorization"] = "Bearer " .. ADMIN })
end
local function login()
  local uid = math.random(1, U)
  return wrk.format("POST", "/api/auth/login", json_hdr,
    '{"email":"bench-user-' .. uid .. '@bench.example","password":"' .. PASSWORD .. '"}')
end

-- Mixed read/write: 60% get, 10% list, 5% search, 5% doctor, 5% doctors-of-patient,
-- 10% create, 5% update.
local function mixed()
  local r = math.random(100)
  if r <= 60 then return get_patient()
  elseif r <= 70 then return list()
  elseif r <= 75 then return search()
  elseif r <= 80 then return doctor()
  elseif r <= 85 then return mappings()
  elseif r <= 95 then return create()
  else return update() end
end

local scenarios = { get = get_patient, list = list, search = search, doctor = doctor, mappings = mappings,
                    create = create, update = update, login = login, history = history, audit = audit, fhir = fhir,
                    mixed = mixed }

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
