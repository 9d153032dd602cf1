-- wrk script for the webhook ingestion benchmark (docs/benchmarks.md): each request is the
-- next pre-signed GitHub delivery from requests.tsv (make_requests.py), so every one is a new
-- event; wrk's threads each take every n-th line.
-- usage: THREADS=2 wrk -t2 -c8 -d20s -s ingest.lua http://127.0.0.1:PORT/api/v1/hooks/<integration id>
-- THREADS must equal wrk's -t.
local requests = {}
local counter = 0
local nthreads = tonumber(os.getenv("THREADS") or "2")
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local f = assert(io.open(os.getenv("REQUESTS") or "requests.tsv"))
  local n = 0
  for line in f:lines() do
    if n % nthreads == id then
      local delivery, sig, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
      table.insert(requests, wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["X-GitHub-Event"] = "pull_request",
        ["X-GitHub-Delivery"] = delivery,
        ["X-Hub-Signature-256"] = sig,
      }, body))
    end
    n = n + 1
  end
  f:close()
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end
