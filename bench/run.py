"""wsauth against websocat and Python `websockets`, side by side in one run (issues 7, 13, 23).

A local server (bench/server.py) writes precomputed frames so that the client is the
bottleneck. Each scenario runs every tool several times, interleaved so that a burst of
load from elsewhere hits all of them alike; the table shows medians, the ratios the
targets are stated in, and PASS/MISS.

Wall and CPU time come from the parent (`os.wait4`: the child's user and system time),
peak RSS from GNU time around each run, and stdout is a pipe whose bytes we count, so no tool
can win by printing less. `probe` start-to-exit uses hyperfine when installed. The
binary sizes are of the files run (`make release` strips wsauth into .build/stripped/),
and the peak RSS of `--version` is the median of several runs' ru_maxrss.

Not a test: `make bench` runs it, `make test` does not.
"""

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1 << 20


def tool_paths(args):
    venv_bin = os.path.dirname(sys.executable)
    return {
        "wsauth": os.path.join(ROOT, args.wsauth),
        "websocat": shutil.which("websocat", path=venv_bin) or shutil.which("websocat"),
        "python": sys.executable,
    }


class Server:
    """bench/server.py in its own process, so that it never shares a GIL with us."""

    def __init__(self, warm):
        command = [sys.executable, os.path.join(ROOT, "bench", "server.py"), "--idle", "300", "--lifetime", "3600"]
        for target in warm:
            command += ["--warm", target]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def url(self, target):
        return f"ws://127.0.0.1:{self.port}{target}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Result:
    def __init__(self, wall, cpu, maxrss_kib, out_bytes, status):
        self.wall = wall
        self.cpu = cpu
        self.maxrss_kib = maxrss_kib
        self.out_bytes = out_bytes
        self.status = status


def run_once(command, timeout):
    """Runs `command` with stdin from /dev/null and stdout into a counting pipe. Peak RSS
    comes from GNU time around it: a child forked from this Python process counts the
    parent's pages it shared before exec in its own ru_maxrss, a floor of ~25 MiB."""
    rss_file = tempfile.NamedTemporaryFile(suffix=".rss")
    command = ["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file.name, *command]
    read_fd, write_fd = os.pipe()
    counted = [0]

    def count():
        while True:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            counted[0] += len(chunk)

    reader = threading.Thread(target=count)
    reader.start()
    with open(os.devnull, "rb") as devnull:
        start = time.perf_counter()
        # A session of its own, so that a timeout kills the tool and not only GNU time.
        process = subprocess.Popen(command, stdin=devnull, stdout=write_fd, stderr=subprocess.PIPE,
                                   start_new_session=True)
        os.close(write_fd)
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, 9))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    reader.join()
    os.close(read_fd)
    if process.returncode != 0:
        print(f"  ! {command[0]} exited {process.returncode}: {stderr.strip()[-300:]}", file=sys.stderr)
    with rss_file:
        maxrss_kib = int(open(rss_file.name).read().split()[-1] or 0)
    return Result(wall, usage.ru_utime + usage.ru_stime, maxrss_kib, counted[0], process.returncode)


def median(values):
    return statistics.median(values) if values else float("nan")


def stream_scenario(name, commands, expected_bytes, runs, timeout):
    """Runs each tool `runs` times, round-robin; returns {tool: [Result]}."""
    results = {tool: [] for tool in commands}
    for round_index in range(runs):
        for tool, command in commands.items():
            result = run_once(command, timeout)
            ok = result.status == 0 and result.out_bytes == expected_bytes
            if not ok:
                print(f"  ! {name}/{tool}: exit {result.status}, {result.out_bytes} bytes "
                      f"(expected {expected_bytes})", file=sys.stderr)
            result.ok = ok
            results[tool].append(result)
        print(f"  {name}: round {round_index + 1}/{runs} "
              + " ".join(f"{tool}={results[tool][-1].wall:.3f}s" for tool in commands), file=sys.stderr)
    return results


def probe_scenario(commands, runs, warmup):
    """Start-to-exit wall time of a connect + clean close; {tool: (median, mean, runs)}."""
    for tool, command in commands.items():
        check = run_once(command, 30)
        if check.status != 0:
            raise SystemExit(f"probe/{tool} failed: exit {check.status}")
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            names = list(commands)
            command = [hyperfine, "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
                       "--export-json", export.name]
            for tool in names:
                command += ["-n", tool, shlex.join(commands[tool])]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            data = json.load(open(export.name))
        out = {}
        for tool, entry in zip(names, data["results"]):
            out[tool] = (median(entry["times"]), entry["mean"], len(entry["times"]), "hyperfine")
        return out
    times = {tool: [] for tool in commands}
    for round_index in range(warmup + runs):
        for tool, command in commands.items():
            result = run_once(command, 30)
            if round_index >= warmup:
                times[tool].append(result.wall)
    return {tool: (median(v), statistics.mean(v), len(v), "own loop") for tool, v in times.items()}


def machine():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?") if hasattr(platform, "freedesktop_os_release") else "?"}


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def fmt_s(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def fmt_mib(kib):
    return f"{kib / 1024:.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wsauth", default=".build/stripped/wsauth")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool for the firehose")
    # The 64 MiB row moves most between runs (page faults, the pipe to this harness): with 5
    # runs its median ranged 0.33-0.64x Python in one hour where 7-9 runs gave 0.19-0.25x.
    parser.add_argument("--big-runs", type=int, default=9, help="runs per tool for 64 MiB")
    parser.add_argument("--probe-runs", type=int, default=50)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--message-size", type=int, default=64)
    parser.add_argument("--big", type=int, default=64 * MIB, help="bytes of the one binary message")
    parser.add_argument("--timeout", type=float, default=120, help="kill a run after this many seconds")
    parser.add_argument("--markdown", default=os.path.join(ROOT, "bench", "last-run.md"),
                        help="also write the report here")
    parser.add_argument("--readme", action="store_true", help="replace the table between the bench markers of docs/ARCHITECTURE.md")
    args = parser.parse_args()

    tools = tool_paths(args)
    for tool, path in tools.items():
        if not path or not os.access(path, os.X_OK):
            raise SystemExit(f"{tool} not found ({path}): run `make bench`")
    firehose = f"/firehose?n={args.messages}&size={args.message_size}"
    big = f"/big?size={args.big}"
    load_before = os.getloadavg()
    started = time.time()
    server = Server([firehose, big])
    try:
        client = os.path.join(ROOT, "bench", "pyclient.py")
        firehose_url, big_url, probe_url = server.url(firehose), server.url(big), server.url("/probe")
        firehose_bytes = args.messages * (args.message_size + 1)
        print(f"firehose: {args.messages} text messages of {args.message_size} bytes", file=sys.stderr)
        fire = stream_scenario("firehose", {
            "wsauth": [tools["wsauth"], "connect", firehose_url, "--count", str(args.messages)],
            "websocat": [tools["websocat"], "-n", firehose_url],
            "python": [tools["python"], client, firehose_url],
        }, firehose_bytes, args.runs, args.timeout)
        print(f"64 MiB: one binary message of {args.big} bytes", file=sys.stderr)
        limit = str(args.big + 1024)
        large = stream_scenario("big", {
            "wsauth": [tools["wsauth"], "connect", big_url, "--count", "1", "--max-message-size", limit],
            "websocat": [tools["websocat"], "-n", "-b", "-B", limit, big_url],
            "python": [tools["python"], client, big_url],
        }, args.big, args.big_runs, args.timeout)
        print("probe: start to exit", file=sys.stderr)
        probe = probe_scenario({
            "wsauth": [tools["wsauth"], "probe", probe_url],
            "websocat": [tools["websocat"], probe_url],
            "python": [tools["python"], "-c",
                       f"from websockets.sync.client import connect; connect('{probe_url}').close()"],
            # Start-up alone, to tell it from the connection's share of the probe.
            "wsauth --version": [tools["wsauth"], "--version"],
            "websocat --version": [tools["websocat"], "--version"],
        }, args.probe_runs, 3)
        startup_rss = {tool: median([run_once([tools[tool], "--version"], 10).maxrss_kib for _ in range(9)])
                       for tool in ("wsauth", "websocat")}
    finally:
        server.stop()
    load_after = os.getloadavg()
    sizes = {tool: os.path.getsize(tools[tool]) for tool in ("wsauth", "websocat")}

    def med(results, attr):
        return median([getattr(r, attr) for r in results])

    def all_ok(results):
        return all(r.ok for r in results)

    lines = []
    m = machine()
    lines.append(f"Machine: {m['os']}, kernel {m['kernel']}, {m['nproc']} cores, {m['cpu']}; "
                 f"load average {load_before[0]:.2f} at start, {load_after[0]:.2f} at end "
                 f"(1-min), run took {time.time() - started:.0f} s, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}.")
    lines.append(f"Tools: {version([tools['wsauth'], '--version'])} (release build, stripped), "
                 f"{version([tools['websocat'], '--version'])}, Python {platform.python_version()} "
                 f"websockets {version([tools['python'], '-c', 'import websockets; print(websockets.__version__)'])}.")
    lines.append("")
    # Issue 23's table: one row per scenario, the tools side by side, wsauth with its ratio.
    fire_wall = {tool: med(rs, "wall") for tool, rs in fire.items()}
    big_wall = {tool: med(rs, "wall") for tool, rs in large.items()}
    lines.append("| | wsauth | websocat | Python websockets |")
    lines.append("|---|---|---|---|")
    lines.append(f"| {args.messages:,} × {args.message_size} B messages | {fmt_s(fire_wall['wsauth'])} "
                 f"(**{fire_wall['wsauth'] / fire_wall['websocat']:.2f}×** websocat) | {fmt_s(fire_wall['websocat'])} | "
                 f"{fmt_s(fire_wall['python'])} |")
    lines.append(f"| one {args.big / MIB:g} MiB message | {fmt_s(big_wall['wsauth'])} "
                 f"(**{big_wall['wsauth'] / big_wall['python']:.2f}×** Python) | {fmt_s(big_wall['websocat'])} | "
                 f"{fmt_s(big_wall['python'])} |")
    lines.append(f"| probe | {fmt_s(probe['wsauth'][0])} ({probe['wsauth'][0] / probe['websocat'][0]:.2f}×) | "
                 f"{fmt_s(probe['websocat'][0])} | {fmt_s(probe['python'][0])} |")
    lines.append("| peak RSS, firehose | " + " | ".join(fmt_mib(med(fire[t], "maxrss_kib")) for t in ("wsauth", "websocat", "python")) + " |")
    lines.append("| peak RSS, " + f"{args.big / MIB:g} MiB | " + " | ".join(fmt_mib(med(large[t], "maxrss_kib")) for t in ("wsauth", "websocat", "python")) + " |")
    lines.append(f"| `--version` RSS | {fmt_mib(startup_rss['wsauth'])} | {fmt_mib(startup_rss['websocat'])} | — |")
    lines.append(f"| stripped binary | {sizes['wsauth'] / 1e6:.1f} MB | {sizes['websocat'] / 1e6:.1f} MB | — |")
    lines.append("")
    lines.append("| scenario | tool | median wall | median CPU (user+sys) | peak RSS (median) | output checked |")
    lines.append("|---|---|---|---|---|---|")
    fire_label = f"firehose {args.messages}×{args.message_size} B"
    big_label = f"one {args.big / MIB:g} MiB binary"
    for label, results, expected in ((fire_label, fire, firehose_bytes), (big_label, large, args.big)):
        for tool, rs in results.items():
            lines.append(f"| {label} | {tool} | {fmt_s(med(rs, 'wall'))} | {fmt_s(med(rs, 'cpu'))} | "
                         f"{fmt_mib(med(rs, 'maxrss_kib'))} | {'ok' if all_ok(rs) else 'WRONG'}: {expected} B × {len(rs)} |")
    for tool, (med_s, mean_s, n, how) in probe.items():
        label = "start-up only" if tool.endswith("--version") else "probe start→exit"
        lines.append(f"| {label} | {tool} | {fmt_s(med_s)} | | | exit 0; {n} runs ({how}), mean {fmt_s(mean_s)} |")
    lines.append("")

    targets = []
    ratio = med(fire["wsauth"], "wall") / med(fire["websocat"], "wall")
    targets.append(("firehose wsauth/websocat (wall)", ratio, 0.40, f"{ratio:.3f}"))
    ratio = med(large["wsauth"], "wall") / med(large["python"], "wall")
    targets.append((f"{args.big / MIB:g} MiB wsauth/python (wall)", ratio, 0.40, f"{ratio:.3f}"))
    ratio = probe["wsauth"][0] / probe["websocat"][0]
    targets.append(("probe wsauth/websocat (wall)", ratio, 0.8, f"{ratio:.3f}"))
    rss = med(fire["wsauth"], "maxrss_kib") / med(fire["websocat"], "maxrss_kib")
    targets.append(("firehose peak RSS wsauth/websocat", rss, 1.0, f"{rss:.2f}"))
    rss_ratio = med(large["wsauth"], "maxrss_kib") * 1024 / args.big
    targets.append((f"{args.big / MIB:g} MiB wsauth peak RSS / message", rss_ratio, 1.5, f"{rss_ratio:.3f}"))
    lines.append(f"Binary sizes: wsauth {sizes['wsauth'] / 1e6:.1f} MB, websocat {sizes['websocat'] / 1e6:.1f} MB "
                 f"(wsauth-serve, the server beside it, is not run by the client). Peak RSS of `--version` "
                 f"(median of 9): wsauth {fmt_mib(startup_rss['wsauth'])}, websocat {fmt_mib(startup_rss['websocat'])}.")
    lines.append("")
    targets.insert(0, ("wsauth binary size (MB)", sizes["wsauth"] / 1e6, 7.0, f"{sizes['wsauth'] / 1e6:.1f}"))
    targets.insert(1, ("wsauth --version peak RSS (MiB)", startup_rss["wsauth"] / 1024, 6.0,
                       f"{startup_rss['wsauth'] / 1024:.1f}"))
    lines.append("| target | measured | limit | verdict |")
    lines.append("|---|---|---|---|")
    for name, value, limit, shown in targets:
        lines.append(f"| {name} | {shown} | ≤ {limit:g} | {'PASS' if value <= limit else 'MISS'} |")
    cpu_fire = med(fire["wsauth"], "cpu") / med(fire["websocat"], "cpu")
    cpu_big = med(large["wsauth"], "cpu") / med(large["python"], "cpu")
    lines.append("")
    lines.append(f"CPU-time ratios (less sensitive to load): firehose wsauth/websocat {cpu_fire:.2f}, "
                 f"{args.big / MIB:g} MiB wsauth/python {cpu_big:.2f}.")
    if not all(all_ok(rs) for rs in list(fire.values()) + list(large.values())):
        lines.append("")
        lines.append("WARNING: some runs failed or printed the wrong number of bytes (see stderr).")
    report = "\n".join(lines)
    print(report)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(report + "\n")
    if args.readme:
        path = os.path.join(ROOT, "docs", "ARCHITECTURE.md")
        text = open(path).read()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            open(path, "w").write(head + start + "\n" + report + "\n" + end + tail)
        else:
            print("docs/ARCHITECTURE.md has no bench markers; not updated", file=sys.stderr)


if __name__ == "__main__":
    main()
