"""Run the issue-6 benchmarks: ``python benchmarks/run.py [--quick] [--json out.json]
[--only W1,W3] [--threads 1|2] [--profile W3,W5 [--profiler pyinstrument]]``
(see benchmarks/README.md)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W2m")
REPEATS = {"tiny": (0, 1), "quick": (1, 3), "full": (1, 5)}  # (warm-up rounds, timed rounds)
PROCESS_ROUNDS = {"tiny": 1, "quick": 1, "full": 3}  # W6 and W2m: a fresh process per run
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Run the issue-6 benchmarks (benchmarks/README.md).")
    p.add_argument("--quick", action="store_true", help="fewer steps and runs (~40 s)")
    p.add_argument("--size", choices=("tiny", "quick", "full"), default=None,
                   help="tiny (a smoke run, 1 round), quick (= --quick) or full (default)")
    p.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json",
                   help="where to write the results (default: benchmarks/results/latest.json)")
    p.add_argument("--only", default=",".join(KEYS),
                   help=f"comma-separated workloads, from {','.join(KEYS)} (W2m: W2's memory)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads for every library")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="elapsed time (default) or this process's CPU time, steadier on a "
                        "shared machine (meaningful with --threads 1)")
    p.add_argument("--no-gc-freeze", action="store_true",
                   help="let full collections walk every loaded library's objects too (see "
                        "backends.fresh_heap)")
    p.add_argument("--profile", default="",
                   help="instead of the table, cProfile the engine on these workloads (W1-W5)")
    p.add_argument("--cpu", type=int, default=None,
                   help="pin the whole run (every library's threads, XLA's included) to this "
                        "core (default: the first core this process may use; -1: no pinning)")
    p.add_argument("--top", type=int, default=15, help="functions listed per profile")
    p.add_argument("--profiler", choices=("cprofile", "pyinstrument"), default="cprofile",
                   help="cProfile (exact counts, own time) or pyinstrument (sampling, a tree)")
    args = p.parse_args(argv)
    args.size = args.size or ("quick" if args.quick else "full")
    args.keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in args.keys + args.profile.split(",") if k and k not in KEYS]
    if unknown:
        p.error(f"unknown workload(s) {unknown}; choose from {', '.join(KEYS)}")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    return args


def ensure_env(threads: int, clock: str, freeze: bool) -> None:
    """BLAS reads its thread count when numpy loads: if the environment does not say
    ``threads`` (and the clock) yet, set it and restart this script before numpy is imported.
    Child processes (W6, W2m) inherit the same settings."""
    want = str(threads)
    if os.environ.get("TGC_BENCH_THREADS") == want and all(
            os.environ.get(v) == want for v in THREAD_VARS) and \
            os.environ.get("TGC_BENCH_CLOCK") == clock and \
            os.environ.get("TGC_BENCH_GC_FREEZE") == str(int(freeze)):
        return
    env = dict(os.environ, TGC_BENCH_THREADS=want, TGC_BENCH_CLOCK=clock,
               TGC_BENCH_GC_FREEZE=str(int(freeze)),
               **dict.fromkeys(THREAD_VARS, want))
    os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]],
              env)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def profile(keys: list[str], size: str, top: int, profiler: str) -> None:
    """Profile the engine's runner of each workload (after one warm-up run): cProfile's top
    functions by own time, or pyinstrument's call tree."""
    import cProfile
    import pstats

    from benchmarks import workloads_bce, workloads_graph, workloads_mlp
    from benchmarks.backends import fresh_heap
    found = {w.key: w for w in (workloads_bce.W1, workloads_bce.W2, workloads_bce.W3,
                                workloads_mlp.W4, workloads_graph.W5)}
    for key in keys:
        if key not in found:
            log(f"{key}: no in-process engine runner to profile (W1-W5 only)")
            continue
        w = found[key]
        data = w.make_data(size)
        w.impls["engine"](data)()  # warm-up
        runner = w.impls["engine"](data)
        print(f"\n=== {key} ({w.title}), engine, size {size}, {profiler} ===")
        if profiler == "pyinstrument":
            from pyinstrument import Profiler
            with fresh_heap(), Profiler(interval=0.0002) as sampler:
                runner()
            print(sampler.output_text(unicode=True, show_all=False))
            continue
        prof = cProfile.Profile()
        with fresh_heap():
            prof.runcall(runner)
        pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats("tottime").print_stats(top)


def pin(cpu: int | None) -> int | None:
    """Pin this process (and the threads and processes it starts later) to one core, so that
    no library gets a second one (XLA starts its own threads). Returns the core, or None."""
    if cpu == -1 or not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0)) if cpu is None else cpu
    os.sched_setaffinity(0, {core})
    log(f"pinned to core {core}")
    return core


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    ensure_env(args.threads, args.clock, not args.no_gc_freeze)
    pinned = pin(args.cpu)
    sys.path.insert(0, str(ROOT))
    from benchmarks import isolated, report, workloads_bce, workloads_graph, workloads_mlp
    from benchmarks.backends import limit_threads
    from benchmarks.harness import time_workload

    for note in limit_threads(args.threads):
        log(f"note: {note}")
    if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
        log("note: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are set; issue 6's figures are taken with "
            "both unset: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py")
    if args.profile:
        profile([k for k in args.profile.split(",") if k], args.size, args.top, args.profiler)
        return 0
    warmup, repeats = REPEATS[args.size]
    timed = {w.key: w for w in (workloads_bce.W1, workloads_bce.W2, workloads_bce.W3,
                                workloads_mlp.W4, workloads_graph.W5)}
    rows = []
    start = time.perf_counter()
    for key in [k for k in KEYS if k in args.keys]:
        t0 = time.perf_counter()
        log(f"{key} ...")
        if key in timed:
            rows.append(time_workload(timed[key], args.size, repeats, warmup, log=log))
        elif key == "W6":
            rows += isolated.time_w6(args.size, PROCESS_ROUNDS[args.size], log=log)
        elif key == "W7":
            rows.append(workloads_graph.time_draw(args.size, repeats, warmup))
        else:
            rows.append(isolated.memory_w2(args.size, PROCESS_ROUNDS[args.size], log=log))
        log(f"{key} done in {time.perf_counter() - t0:.1f} s")
    meta = report.machine(args.threads, args.size)
    meta["clock"] = args.clock
    meta["pinned_cpu"] = pinned
    meta["gc_freeze"] = not args.no_gc_freeze
    meta["wall_s"] = round(time.perf_counter() - start, 1)
    meta["rounds"] = {"warmup": warmup, "timed": repeats,
                      "fresh_processes": PROCESS_ROUNDS[args.size]}
    print(report.table(rows, meta))
    report.to_json(rows, meta, args.json)
    log(f"wrote {args.json} ({meta['wall_s']} s)")
    wrong = [r.key for r in rows if not r.correct]
    if wrong:
        log(f"WRONG results in {', '.join(wrong)}: an implementation disagrees with numpy")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
