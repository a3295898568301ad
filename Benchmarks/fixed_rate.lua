-- wrk script: a fixed, light load. Each connection waits BENCH_PAUSE_MS (default 2) after every answer
-- before its next request, so 4 connections send at most 2,000 requests/s: well under what either
-- proxy can serve, so the latencies measure the work of one request, not the queue at saturation.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "2")

function delay()
    return pause
end
