-- wrk script: every paid call is bought afresh. Run with one connection per thread (-c equal to -t), so
-- each thread walks its cycle in order on its connection: ask (402) → pay the invoice through the dev
-- node → call with the new credential (200). BENCH_SCHEME says which offer is taken:
--   payment  Accept-Payment: lightning/charge; the credential is `Payment <base64url JSON>` echoing the
--            challenge the 402 body carries under "payment", with the preimage
--   l402     Accept-Payment: l402; the credential is `L402 <macaroon>:<preimage>` (a one-call tool)
-- The tool path is the URL's. done() prints "Paid calls: N, failed cycles: M" for the whole run.
local scheme = os.getenv("BENCH_SCHEME")
local accept = scheme == "payment" and "lightning/charge" or "l402"
local threads = {}

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function base64url(text)  -- without padding
    local out = {}
    for i = 1, #text, 3 do
        local a, b, c = text:byte(i, i + 2)
        local n = a * 65536 + (b or 0) * 256 + (c or 0)
        local chars = (b == nil) and 2 or ((c == nil) and 3 or 4)
        for k = 1, chars do
            local index = math.floor(n / 2 ^ (6 * (4 - k))) % 64
            out[#out + 1] = alphabet:sub(index + 1, index + 1)
        end
    end
    return table.concat(out)
end

function setup(thread) table.insert(threads, thread) end

function init(args)
    step, paid, failed = "ask", 0, 0
end

function request()
    if step == "ask" then
        return wrk.format("GET", wrk.path, { ["Accept-Payment"] = accept })
    elseif step == "pay" then
        return wrk.format("POST", "/_l402/dev/pay", { ["Content-Type"] = "application/json" }, '{"invoice":"' .. invoice .. '"}')
    end
    return wrk.format("GET", wrk.path, { ["Authorization"] = credential })
end

function response(status, headers, body)
    if step == "ask" then
        if status ~= 402 then failed = failed + 1; return end
        if scheme == "payment" then
            offer = body:match('"payment":(%b{})')
            challenge = offer and offer:match('"challenge":(%b{})')
            invoice = offer and offer:match('"invoice":"([^"]+)"')
        else
            macaroon = body:match('"macaroon":"([^"]+)"')
            invoice = body:match('"invoice":"([^"]+)"')
        end
        step = invoice and "pay" or "ask"
    elseif step == "pay" then
        local preimage = body:match('"preimage":"(%x+)"')
        if status ~= 200 or not preimage then failed = failed + 1; step = "ask"; return end
        if scheme == "payment" then
            credential = "Payment " .. base64url('{"challenge":' .. challenge .. ',"payload":{"preimage":"' .. preimage .. '"}}')
        else
            credential = "L402 " .. macaroon .. ":" .. preimage
        end
        step = "call"
    else
        if status == 200 then paid = paid + 1 else failed = failed + 1 end
        step = "ask"
    end
end

function done(summary, latency, requests)
    local total, failures = 0, 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("paid")
        failures = failures + thread:get("failed")
    end
    io.write(string.format("Paid calls: %d, failed cycles: %d\n", total, failures))
end
