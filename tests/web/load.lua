-- tests/web/load.lua - wrk script for tests/e2e/web_load.sh: reads the
-- overview, the earmark page and the quarter form, and saves quarter
-- amounts through the form (POST /kvartal/spara). Every request carries
-- the session cookie ($COOKIE); every post carries the CSRF token ($CSRF)
-- and a one-time submission id taken from a quarter form this thread has
-- read (a form is saved once: an id is never posted twice). A saved post
-- answers 303, a read 200; anything else is counted as an error. done()
-- prints "posts=N reads=N errors=N" over all threads.
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

local stop_posts
local ids = {}
local headers

function init(args)
  stop_posts = os.time() + tonumber(os.getenv("POST_SECONDS") or "4")
  headers = { ["Cookie"] = os.getenv("COOKIE") }
end

local n = 0
posts, gets, errors, bad_status = 0, 0, 0, 0
local reads = { "/", "/oronmarkt", "/kvartal" }

local form_asked = false

function request()
  n = n + 1
  if os.time() < stop_posts then
    -- While posting, a form is read only to be sent: the server keeps the
    -- last 64 form ids a session was given (serve_auth.c), and forms read
    -- thousands of times a second by the other connections of the same
    -- session would push an id out before it is sent (a real user never
    -- opens 64 forms between reading one and sending it).
    if n % 3 == 0 and #ids > 0 then
      local id = table.remove(ids)
      local body = "csrf=" .. os.getenv("CSRF") .. "&inskick=" .. id ..
        "&kvartal=2026Q1&upprepa=1&rad16=k%3APROC%3A&belopp16=1%2C00" ..
        "&konto16=5010&underlag=wrk"
      return wrk.format("POST", "/kvartal/spara",
        { ["Content-Type"] = "application/x-www-form-urlencoded",
          ["Cookie"] = headers["Cookie"] }, body)
    end
    if #ids == 0 and not form_asked then
      form_asked = true
      return wrk.format("GET", "/kvartal", headers)
    end
    return wrk.format("GET", reads[n % 2 + 1], headers)
  end
  return wrk.format("GET", reads[n % 3 + 1], headers)
end

function response(status, hdrs, body)
  if status == 303 then
    posts = posts + 1
  elseif status == 200 then
    gets = gets + 1
    local id = body and string.match(body, 'name="inskick" value="(%x+)"')
    if id then
      table.insert(ids, id)
      form_asked = false
    end
  else
    errors = errors + 1
    if bad_status == 0 then bad_status = status end
  end
end

function done(summary, latency, requests)
  local p, g, e, b = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    p = p + t:get("posts")
    g = g + t:get("gets")
    e = e + t:get("errors")
    -- the first failing status of each thread, to tell why
    if t:get("bad_status") ~= 0 then b = b .. " " .. t:get("bad_status") end
  end
  io.write(string.format("posts=%d reads=%d errors=%d%s\n", p, g, e,
    b ~= "" and " first-bad-status:" .. b or ""))
end
