-- Replays pre-built requests for wrk: each line of $WRK_REQUESTS is "METHOD\tTARGET\tBODY" (the
-- body with no newlines). Each wrk thread starts at a different line. $WRK_DELAY_MS, when set,
-- makes each connection wait that long between requests (an approximate fixed rate).
local requests = {}
local index = 1
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("start_at", thread_counter * 7919)
end

function init(args)
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    local method, target, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    requests[#requests + 1] = wrk.format(method, target, {["Content-Type"] = "text/xml"}, body)
  end
  index = (start_at or 1) % #requests + 1
end

function request()
  local r = requests[index]
  index = index % #requests + 1
  return r
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end
