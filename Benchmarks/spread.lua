-- wrk script: spreads wrk's threads over the gateways on BENCH_PORTS ("8401,8402"; one thread after the
-- other, as a round-robin load balancer would) and sends every request with the next paid credential
-- from the file BENCH_CREDENTIALS (one `Authorization` value per line), so each request is a paid call.
local addresses = {}
for port in string.gmatch(os.getenv("BENCH_PORTS"), "%d+") do
    for _, address in ipairs(wrk.lookup("127.0.0.1", port)) do table.insert(addresses, address) end
end
local threads = 0

function setup(thread)
    thread.addr = addresses[threads % #addresses + 1]
    threads = threads + 1
end

function init(args)
    credentials = {}
    for line in io.lines(os.getenv("BENCH_CREDENTIALS")) do table.insert(credentials, line) end
    next_credential = math.random(#credentials)
end

function request()
    next_credential = next_credential % #credentials + 1
    return wrk.format(nil, nil, { ["Authorization"] = credentials[next_credential] })
end
