-- wrk script for every scenario of bench/run.sh: `wrk ... -s bench.lua -- <scenario>`.
-- Environment (set by run.sh): BENCH_TOKENS (file of "userId orgId token" lines; the first line
-- is user 1, who owns the personal patients 1..BENCH_OWN and is the admin of organization 1,
-- patients BENCH_OWN+1..2*BENCH_OWN; in large, the other lines are members of other
-- organizations), BENCH_USERS, BENCH_PATIENTS, BENCH_DOCTORS, BENCH_OWN, BENCH_ORGS,
-- BENCH_PASSWORD. The layout follows bench/lib/seed.sql: only user 1 has personal patients, so
-- every personal scenario reads as user 1; org-get spreads over the organizations of the tokens.
local scenario
local users, orgs, tokens = {}, {}, {}
local U, P, D, OWN, O, PASSWORD, ADMIN
local terms = { "ann", "son", "mar", "lee", "ria", "sen", "ito", "ros" }
local json_hdr = { ["Content-Type"] = "application/json" }

local function auth(i)
  return { ["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json" }
end

-- A random personal patient of user 1 (the only user with personal patients, seed.sql).
local function personal()
  return math.random(1, OWN)
end

-- A random patient of organization o: org 1 holds OWN+1..2*OWN, org o >= 2 holds
-- 2*OWN+1+(o-2) + k*(O-1) (seed.sql).
local function patient_of_org(o)
  if o == 1 then return OWN + math.random(1, OWN) end
  local first = 2 * OWN + 1 + (o - 2)
  local kmax = math.floor((P - first) / (O - 1))
  return first + math.random(0, kmax) * (O - 1)
end

function init(args)
  scenario = args[1] or "get"
  U = tonumber(os.getenv("BENCH_USERS")); P = tonumber(os.getenv("BENCH_PATIENTS"))
  D = tonumber(os.getenv("BENCH_DOCTORS")); OWN = tonumber(os.getenv("BENCH_OWN"))
  O = tonumber(os.getenv("BENCH_ORGS"))
  PASSWORD = os.getenv("BENCH_PASSWORD")
  ADMIN = os.getenv("BENCH_ADMIN_TOKEN")
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local uid, org, tok = line:match("^(%d+)%s+(%d+)%s+(%S+)$")
    if uid then users[#users + 1] = tonumber(uid); orgs[#orgs + 1] = tonumber(org); tokens[#tokens + 1] = tok end
  end
  -- A different random stream per thread (each thread has its own Lua state).
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local function any_user() return math.random(1, #users) end

local function get_patient()
  return wrk.format("GET", "/api/patients/" .. personal(), auth(1))
end
local function list() return wrk.format("GET", "/api/patients", auth(1)) end
local function search()
  return wrk.format("GET", "/api/patients?q=" .. terms[math.random(#terms)], auth(1))
end
local function doctor() return wrk.format("GET", "/api/doctors/" .. math.random(1, D), auth(any_user())) end
local function mappings()
  return wrk.format("GET", "/api/mappings/patient/" .. personal(), auth(1))
end
local function create()
  local n = math.random(1, 1000000)
  return wrk.format("POST", "/api/patients", auth(any_user()),
    '{"name":"Load Test ' .. n .. '","age":' .. (n % 90) .. ',"gender":"F","address":"1 Bench Road",'
    .. '"phone":"+1 555 0100","email":"load-' .. n .. '@mail.example","disease":"Hypertension"}')
end
local function update()
  return wrk.format("PUT", "/api/patients/" .. personal(), auth(1),
    '{"phone":"+1 555 ' .. math.random(1000, 9999) .. '"}')
end
-- A patient's history (3 revisions each, seed.sql), as its owner.
local function history()
  return wrk.format("GET", "/api/patients/" .. personal() .. "/history", auth(1))
end
-- The same read through the FHIR view (HAPI's model and JSON parser), as its owner.
local function fhir()
  return wrk.format("GET", "/fhir/Patient/" .. personal(), auth(1))
end
-- "Who saw patient X" (platform admin): single reads, changes and the lists that returned X.
-- X is one of user 1's personal patients, as org-audit's is one of organization 1's: the same
-- number of patients and of events each (20), so the pair compares like for like.
local function audit()
  return wrk.format("GET", "/api/audit?recordType=patient&recordId=" .. personal(),
    { ["Authorization"] = "Bearer " .. ADMIN })
end

-- Issue 22: the patient's access report ("who saw my record", HIPAA accounting of disclosures), as
-- its owner (user 1), default page: every read, list, change that included the patient, from the
-- list ids' GIN index over every monthly partition; 20 seeded events per patient in every size,
-- so small vs large compares the trail's size alone.
local function access_report()
  return wrk.format("GET", "/api/patients/" .. personal() .. "/access-report", auth(1))
end

-- Issue 19: the organization counterparts of get, list and audit.
-- A member reads a patient of its organization: user 1 (admin of org 1) and, in large, the
-- other tokens' users, each a member of a random organization (its role as seeded: mostly
-- clinician), so the reads spread over the 1,000,000 rows as get's did before issue 19.
local function org_get()
  local i = any_user()
  return wrk.format("GET", "/api/patients/" .. patient_of_org(orgs[i]), auth(i))
end
-- One organization's list (1,000 patients, as user 1's personal list): default page + X-Total-Count.
local function org_list()
  return wrk.format("GET", "/api/patients?organizationId=" .. orgs[1], auth(1))
end
-- The organization's audit, "who saw patient X", as its admin (user 1).
local function org_audit()
  return wrk.format("GET", "/api/organizations/" .. orgs[1] .. "/audit?recordType=patient&recordId="
    .. patient_of_org(orgs[1]), auth(1))
end
-- Issue 20: FHIR searches by identifier and by birth date (seed.sql's record layout), as a user
-- who may read the patient: user 1 (its 1,000 personal patients and organization 1's 1,000) and, in
-- large, the other tokens' members, each with a patient of its organization, as org-get does, so
-- the searches spread over the 1,000,000 rows.
local function readable(i)
  if users[i] == 1 then return math.random(1, 2 * OWN) end
  return patient_of_org(orgs[i])
end
-- The seeded birth date of patient id: 1930-01-01 + ((id * 7919) % 33237) days, as YYYY-MM-DD
-- (days to civil date: H. Hinnant's algorithm; 1930-01-01 is day -14610 of the Unix epoch).
local function birth_date(id)
  local z = -14610 + (id * 7919) % 33237 + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format("%04d-%02d-%02d", y, m, d)
end
-- GET /fhir/Patient?identifier=http://bench.example/mrn|MRN-<id> (patient_identifiers' lookup).
local function fhir_identifier()
  local i = any_user()
  return wrk.format("GET", "/fhir/Patient?identifier=http%3A%2F%2Fbench.example%2Fmrn%7CMRN-" .. readable(i), auth(i))
end
-- GET /fhir/Patient?birthdate=eq<a day one of the user's patients was born>&_count=50.
local function fhir_birthdate()
  local i = any_user()
  return wrk.format("GET", "/fhir/Patient?birthdate=eq" .. birth_date(readable(i)) .. "&_count=50", auth(i))
end
-- The same at month precision: eq<YYYY-MM> is every day of that month (FHIR's date search).
local function fhir_birthmonth()
  local i = any_user()
  return wrk.format("GET", "/fhir/Patient?birthdate=eq" .. birth_date(readable(i)):sub(1, 7) .. "&_count=50", auth(i))
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
                    mixed = mixed, ["access-report"] = access_report, ["org-get"] = org_get, ["org-list"] = org_list, ["org-audit"] = org_audit,
                    ["fhir-identifier"] = fhir_identifier, ["fhir-birthdate"] = fhir_birthdate,
                    ["fhir-birthmonth"] = fhir_birthmonth }

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
