"""The crawler against a real local server: `ttmr crawl` killed with SIGKILL mid-crawl and restarted, and (slow) the
whole Synaesthesia site with every fault at once. The notebook `a3_crawl` tests the parts; these test the process."""
import json, os, signal, sqlite3, subprocess, time
from pathlib import Path
from urllib.parse import urlsplit
import pytest
from ttmr_nb.core import slugify
from ttmr_nb.crawl import CrawlConfig, Faults, FixtureServer, fixture_site, load_synaesthesia, verify_crawl, crawl

def _records(db: Path) -> int:
    try:
        with sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=5) as c: return c.execute('SELECT COUNT(*) FROM records').fetchone()[0]
    except sqlite3.OperationalError: return 0

def _check(out, works, srv, cfg):
    v = verify_crawl(out, works)
    assert v['recovered'] == v['served'] and v['duplicates'] == 0, {k: v[k] for k in ('served', 'recovered', 'duplicates')}
    assert not v['missing'] and not v['unexpected'] and not v['text_mismatch'], v
    assert not srv.fetched('/private/'), 'fetched a path robots.txt disallows'
    with sqlite3.connect(out / 'state.sqlite') as c:
        hosts = {urlsplit(u).netloc for (u,) in c.execute('SELECT url FROM urls')}
    assert hosts == cfg.hosts, hosts                                   # nothing outside the rules was even queued
    return v

def test_killed_crawl_resumes_without_loss_or_duplicates(tmp_path):
    works = load_synaesthesia(limit=40)
    with FixtureServer(fixture_site(works, per_page=5), Faults(slow=0.3, slow_seconds=0.2)) as srv:
        cfg = CrawlConfig(start_urls=(f'{srv.url}/works/',), allowed_paths=('/works/', '/audio/'), rate=40, concurrency=2,
                          backoff=0.05, max_backoff=0.5)
        cfg.save(tmp_path / 'cfg.json')
        args = ['ttmr', 'crawl', '--config', str(tmp_path / 'cfg.json'), '--out', str(tmp_path / 'out'), '--quiet']
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline and p.poll() is None and _records(tmp_path / 'out' / 'state.sqlite') < 40: time.sleep(0.02)
        assert p.poll() is None, 'the crawl finished before it could be killed: ' + p.stderr.read().decode()[-2000:]
        os.killpg(p.pid, signal.SIGKILL); p.wait()
        before = len(srv.log)
        assert not (tmp_path / 'out' / 'manifest.jsonl').exists()
        r = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
        v = _check(tmp_path / 'out', works, srv, cfg)
        # refetching little: after the restart, each work page at most once more, and only those in flight were repeated
        work_paths = [e[0] for e in srv.log if e[0].startswith('/works/w/')]
        repeated = {p for p in work_paths if work_paths.count(p) > 1}
        assert len(repeated) <= 2 * cfg.concurrency, repeated
        assert len(srv.log) > before
    report = json.loads((tmp_path / 'out' / 'crawl_report.json').read_text())
    assert (report['runs'], report['interrupted_runs'], report['records']) == (2, 1, v['served'])

@pytest.mark.slow
def test_whole_site_with_every_fault(tmp_path):
    works = load_synaesthesia()
    slug = lambda w: slugify(w['work_id'], 100)
    site = fixture_site(works, per_page=20, malformed=frozenset(f'/works/w/{slug(w)}.html' for w in works[::5]))
    with FixtureServer(site, Faults(server_error=0.05, rate_limit=0.05, slow=0.05, truncated=0.05, slow_seconds=0.2)) as srv:
        cfg = CrawlConfig(start_urls=(f'{srv.url}/works/',), allowed_paths=('/works/', '/audio/'), rate=200, concurrency=4,
                          backoff=0.05, max_backoff=0.5)
        t0 = time.time(); report = crawl(cfg, tmp_path / 'out', progress=False); dt = time.time() - t0
        v = _check(tmp_path / 'out', works, srv, cfg)
    assert v['served'] == 1955 and v['audio_files'] == 1955
    print(f"\nwhole site: {report['pages_fetched']} pages, {report['audio_fetched']} audio, {v['recovered']}/{v['served']} records "
          f"in {dt:.1f} s ({report['pages_per_second']} pages/s); retried: {report['errors_retried']}; failed: {report['errors_final']}")
