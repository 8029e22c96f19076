"""Benchmark of the crawler on the fixture site of all 549 works (1,955 movement descriptions). Prints numbers; asserts nothing.

    python3 tests/bench_crawl.py [--rate 200] [--concurrency 4]

Three crawls of the same site served on 127.0.0.1: without faults, with every fault (5% of paths each: 500s, 429 with
Retry-After 1 s, 0.2 s answers, truncated bodies; every fifth work page malformed), and killed with SIGKILL halfway
(as a subprocess) then restarted. For each: pages/s, requests, records recovered vs served, duplicates.
"""
import argparse, os, signal, sqlite3, subprocess, tempfile, time
from pathlib import Path

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rate', type=float, default=200); ap.add_argument('--concurrency', type=int, default=4)
    a = ap.parse_args(argv)
    from ttmr_nb.core import slugify
    from ttmr_nb.crawl import CrawlConfig, Faults, FixtureServer, fixture_site, load_synaesthesia, verify_crawl, crawl
    works = load_synaesthesia()
    mal = frozenset(f"/works/w/{slugify(w['work_id'], 100)}.html" for w in works[::5])
    site = fixture_site(works, per_page=20, malformed=mal)
    cases = {'no faults': Faults(), 'every fault': Faults(server_error=0.05, rate_limit=0.05, slow=0.05, truncated=0.05, slow_seconds=0.2)}
    for name, faults in cases.items():
        with FixtureServer(site, faults) as srv:
            cfg = CrawlConfig(start_urls=(f'{srv.url}/works/',), allowed_paths=('/works/', '/audio/'), rate=a.rate,
                              concurrency=a.concurrency, backoff=0.05, max_backoff=0.5)
            out = Path(tempfile.mkdtemp()) / 'out'
            t0 = time.time(); r = crawl(cfg, out, progress=False); dt = time.time() - t0
        v = verify_crawl(out, works)
        print(f"{name:12s}: {r['pages_fetched']} pages + {r['audio_fetched']} audio in {dt:.1f} s = {r['pages_fetched'] / dt:.1f} pages/s, "
              f"{(r['pages_fetched'] + r['audio_fetched']) / dt:.1f} URLs/s, {len(srv.log)} requests; records {v['recovered']}/{v['served']}, "
              f"duplicates {v['duplicates']}, text mismatches {len(v['text_mismatch'])}; retried {r['errors_retried']}; failed {r['errors_final']}")
    with FixtureServer(site, Faults()) as srv:
        cfg = CrawlConfig(start_urls=(f'{srv.url}/works/',), allowed_paths=('/works/', '/audio/'), rate=a.rate, concurrency=a.concurrency)
        d = Path(tempfile.mkdtemp()); cfg.save(d / 'cfg.json')
        args = ['ttmr', 'crawl', '--config', str(d / 'cfg.json'), '--out', str(d / 'out'), '--quiet']
        t0 = time.time(); p = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL)
        db = d / 'out' / 'state.sqlite'
        while p.poll() is None:
            try:
                with sqlite3.connect(f'file:{db}?mode=ro', uri=True) as c: n = c.execute('SELECT COUNT(*) FROM records').fetchone()[0]
            except sqlite3.OperationalError: n = 0
            if n >= 1000: break
            time.sleep(0.02)
        os.killpg(p.pid, signal.SIGKILL); p.wait(); n_kill = len(srv.log)
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL); dt = time.time() - t0
        v = verify_crawl(d / 'out', works)
        paths = [e[0] for e in srv.log if e[0].startswith('/works/w/') or e[0].startswith('/audio/')]
        print(f"kill -9 at {n} records, restart: records {v['recovered']}/{v['served']}, duplicates {v['duplicates']}, "
              f"text mismatches {len(v['text_mismatch'])}; {len(paths) - len(set(paths))} URLs fetched twice "
              f"({n_kill} requests before the kill, {len(srv.log) - n_kill} after); {dt:.1f} s in all")

if __name__ == '__main__':
    main()
