-- Replays pre-built requests for wrk: each line of $WRK_REQUESTS is "METHOD\tTARGET\tBODY" (the
-- body with no newlines). $WRK_THREADS must equal wrk's -t: thread k of N sends lines k, k+N,
-- k+2N, ... so no request is sent twice while the file lasts (a repeated WeCom callback would
-- take the cheaper duplicate path). A thread that runs out starts its share again; done() then
-- reports how many requests were repeats. $WRK_DELAY_MS, when set, makes each connection wait
-- that long between requests (an approximate fixed rate).
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local expected_threads = tonumber(os.getenv("WRK_THREADS") or "1")
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  if #threads > expected_threads then
    io.stderr:write("replay.lua: more wrk threads than WRK_THREADS=" .. expected_threads .. "\n")
    os.exit(2)
  end
  thread:set("thread_index", #threads)
end

function init(args)
  requests = {}
  sent = 0
  repeats = 0
  index = 1
  local k = (thread_index or 1) - 1
  local line_no = 0
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    if line_no % expected_threads == k then
      local method, target, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format(method, target, {["Content-Type"] = "text/xml"}, body)
    end
    line_no = line_no + 1
  end
  if #requests == 0 then
    io.stderr:write("replay.lua: no requests for thread " .. (k + 1) .. "\n")
    os.exit(2)
  end
end

function request()
  if index > #requests then index = 1 end
  local r = requests[index]
  index = index + 1
  sent = sent + 1
  if sent > #requests then repeats = repeats + 1 end
  return r
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, reqs)
  local total_repeats = 0
  for _, t in ipairs(threads) do
    total_repeats = total_repeats + (t:get("repeats") or 0)
  end
  io.write(string.format("replay.lua: %d requests repeated (file exhausted)\n", total_repeats))
end
