"""The load generator for bench_webhooks: wrk (C, one epoll thread, keep-alive HTTP/1.1),
fed pre-built raw requests by a Lua script, so the client's cost per request stays far
below the server's (bench_webhooks measures its ceiling on a trivial endpoint).

A round is `seconds` long at `connections` connections. Each request is sent once; a
round that runs out of requests is flagged (`exhausted`), never padded with repeats.
Latency percentiles come back on a 0.1% grid, so rounds merge into one distribution.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

QUANTILES = [i / 10 for i in range(1, 1000)]  # 0.1 ... 99.9
_SCRIPT = """
local path = os.getenv("BENCH_REQUESTS")
local requests = {}
sent, cycle = 0, os.getenv("BENCH_CYCLE") == "1"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  local file = assert(io.open(path, "rb"))
  local data = file:read("*a")
  file:close()
  for request in data:gmatch("([^%z]+)%z") do requests[#requests + 1] = request end
end
function request()
  sent = sent + 1
  if sent > #requests and cycle then return requests[(sent - 1) % #requests + 1] end
  return requests[math.min(sent, #requests)]
end
function done(summary, latency, _)
  local sent = 0
  for _, thread in ipairs(threads) do sent = sent + thread:get("sent") end
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout))
  io.write(string.format("SENT %d\\n", sent))
  local q = {}
  for _, p in ipairs({QUANTILES}) do q[#q + 1] = latency:percentile(p) end
  io.write("Q " .. table.concat(q, " ") .. "\\n")
end
""".replace("{QUANTILES}", "{" + ", ".join(map(str, QUANTILES)) + "}")


@dataclasses.dataclass
class Round:
    requests: int
    seconds: float
    errors: int  # answers >= 400 plus socket errors and timeouts
    quantiles_us: list[float]  # at QUANTILES
    exhausted: bool


def available() -> bool:
    return shutil.which("wrk") is not None


def run(port: int, requests: list[bytes], connections: int, seconds: int, cycle=False) -> Round:
    """One round against 127.0.0.1:port; `cycle` repeats the requests (a trivial endpoint)."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        data, script = Path(tmp, "requests"), Path(tmp, "load.lua")
        data.write_bytes(b"".join(request + b"\0" for request in requests))
        script.write_text(_SCRIPT)
        result = subprocess.run(
            [shutil.which("wrk"), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
            + ["-s", str(script), f"http://127.0.0.1:{port}/"],
            env={"BENCH_REQUESTS": str(data), "BENCH_CYCLE": "1" if cycle else "0"},
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr or result.stdout}")
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    fields = {line[0]: line[1:] for line in lines}
    done, duration, status_errors, socket_errors = map(int, fields["BENCH"])
    return Round(
        requests=done,
        seconds=duration / 1e6,
        errors=status_errors + socket_errors,
        quantiles_us=[float(x) for x in fields["Q"]],
        exhausted=not cycle and int(fields["SENT"][0]) > len(requests),
    )


def summary(rounds: list[Round]) -> dict:
    """Requests/s over all rounds, and p50/p99 of all their requests (each round's grid
    of percentiles weighted by its request count)."""
    weighted = sorted(
        (value, r.requests / len(QUANTILES)) for r in rounds for value in r.quantiles_us
    )
    total = sum(weight for _, weight in weighted)

    def percentile(p: float) -> float:
        seen = 0.0
        for value, weight in weighted:
            seen += weight
            if seen >= total * p / 100:
                return value / 1000
        return weighted[-1][0] / 1000

    return {
        "rps": sum(r.requests for r in rounds) / sum(r.seconds for r in rounds),
        "p50": percentile(50),
        "p99": percentile(99),
        "errors": sum(r.errors for r in rounds),
        "exhausted": sum(r.exhausted for r in rounds),
    }
