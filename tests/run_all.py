"""Run every test of ttmr_nb: the notebooks' cells (nbdev's own runner, as `nbdev_test`), then `tests/` (pytest).

Prints one line per notebook, pytest's report, and ends with `N passed, N failed` (notebooks + pytest tests).
    python3 tests/run_all.py                # the default run (skips cells flagged slow/gpu/notest)
    python3 tests/run_all.py --flags slow   # also run cells flagged `#| slow`
"""
import argparse, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def notebooks(path=ROOT/'nbs'):
    "The notebooks nbdev_test runs: not scratch (`_*`) nor checkpoints."
    return sorted(p for p in path.rglob('*.ipynb')
                  if not any(part.startswith(('_', '.')) for part in p.relative_to(path).parts))

TIMINGS = ROOT/'tests'/'notebook_seconds.json'   # last measured seconds per notebook (`--save-timings`)

def schedule(nbs):
    "Longest first (by the saved timings; unknown ones first of all), so that two workers finish together."
    import json
    t = json.loads(TIMINGS.read_text()) if TIMINGS.is_file() else {}
    return sorted(nbs, key=lambda p: -t.get(p.name, float('inf')))

def _run_nb(fn, flags):
    "`nbdev_test` on one notebook, in its own process: (notebook, passed, seconds, output)."
    cmd = ['nbdev_test', '--path', str(fn)] + (['--flags', ' '.join(flags)] if flags else [])
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
    t0 = time.time()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    return fn, r.returncode == 0, time.time() - t0, r.stdout + r.stderr

class _Count:
    "pytest plugin: count outcomes of the test phase (and errors in set-up)."
    def __init__(self): self.passed = self.failed = self.skipped = 0
    def pytest_runtest_logreport(self, report):
        if report.when == 'call' or report.outcome != 'passed':
            if report.passed: self.passed += 1
            elif report.failed: self.failed += 1
            elif report.skipped and report.when in ('setup', 'call'): self.skipped += 1

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--flags', default='', help='test flags to run too, space separated (e.g. "slow")')
    ap.add_argument('--n-workers', type=int, default=min(2, os.cpu_count() or 1), help='notebooks run at once')
    ap.add_argument('--no-pytest', action='store_true'); ap.add_argument('--no-nbs', action='store_true')
    ap.add_argument('--save-timings', action='store_true', help=f'write each notebook\'s seconds to {TIMINGS.name} (scheduling)')
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    flags = args.flags.split()
    passed = failed = skipped = 0
    t0 = time.time()
    if not args.no_nbs:
        nbs = schedule(notebooks()); seconds = {}
        print(f'nbdev_test: {len(nbs)} notebooks, {args.n_workers} at a time, longest first, flags={flags or "none"}', flush=True)
        with ThreadPoolExecutor(args.n_workers) as ex:
            for fn, ok, dt, out in ex.map(lambda f: _run_nb(f, flags), nbs):
                print(f'  {"PASS" if ok else "FAIL"}  {fn.relative_to(ROOT)}  ({dt:.0f} s)', flush=True)
                if not ok: print('    ' + out.strip().replace('\n', '\n    ')[-6000:], flush=True)
                passed += ok; failed += not ok; seconds[fn.name] = round(dt, 1)
        if args.save_timings and not flags:
            import json
            TIMINGS.write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + '\n')
    if not args.no_pytest:
        import pytest
        count = _Count()
        pytest.main(['-q', '-p', 'no:cacheprovider', str(ROOT/'tests')] + (['-m', 'not slow'] if 'slow' not in flags else []),
                    plugins=[count])
        passed += count.passed; failed += count.failed; skipped += count.skipped
    print(f'total time {time.time()-t0:.0f} s')
    print(f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else ''))
    return 1 if failed or not passed else 0

if __name__ == '__main__': sys.exit(main())
