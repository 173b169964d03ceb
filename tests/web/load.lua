-- tests/web/load.lua - wrk script for tests/e2e/web_load.sh: every third
-- request saves a quarter amount through the form (POST /kvartal/spara with
-- the CSRF token from $CSRF), the others read the overview and the earmark
-- page. A saved post answers 303, a read 200; anything else is counted as
-- an error. done() prints "posts=N reads=N errors=N" over all threads.
--
-- Posts are sent only during the first $POST_SECONDS of the run, then only
-- reads: wrk stops at its deadline without waiting for the answers in
-- flight, so a post still in flight then could be saved but not counted.
-- With the posts over well before the deadline, every post sent is
-- answered and counted, and the journal can be compared exactly.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local body = "csrf=" .. os.getenv("CSRF") ..
  "&kvartal=2026Q1&upprepa=1&rad16=k%3APROC%3A&belopp16=1%2C00" ..
  "&konto16=5010&underlag=wrk"
local post, reads

-- Built in init, not at load time: only then does wrk.headers hold the Host
-- header (and the server refuses requests without a loopback Host).
local stop_posts

function init(args)
  stop_posts = os.time() + tonumber(os.getenv("POST_SECONDS") or "4")
  post = wrk.format("POST", "/kvartal/spara",
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  reads = { wrk.format("GET", "/"), wrk.format("GET", "/oronmarkt") }
end

local n = 0
posts, gets, errors = 0, 0, 0

function request()
  n = n + 1
  if n % 3 == 0 and os.time() < stop_posts then
    return post
  end
  return reads[n % 2 + 1]
end

function response(status, headers, body)
  if status == 303 then
    posts = posts + 1
  elseif status == 200 then
    gets = gets + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local p, g, e = 0, 0, 0
  for _, t in ipairs(threads) do
    p = p + t:get("posts")
    g = g + t:get("gets")
    e = e + t:get("errors")
  end
  io.write(string.format("posts=%d reads=%d errors=%d\n", p, g, e))
end
