"The repository as the design card and the style guide describe it: layout, notebooks as the source of truth."
import hashlib, json, os, shutil, subprocess, sys
import pytest
from conftest import ROOT

def test_top_level_layout():
    for p in ['nbs', 'ttmr_nb', 'data', 'tests', 'settings.ini', 'setup.py', 'README.md', 'LICENSE', '.ci/run']:
        assert (ROOT/p).exists(), p

def _notebooks(): return sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', _notebooks(), ids=lambda p: p.name)
def test_notebook_reads_as_a_chapter(nb):
    cells = json.loads(nb.read_text())['cells']
    src = lambda c: ''.join(c['source'])
    md = [src(c) for c in cells if c['cell_type'] == 'markdown']
    assert md and md[0].lstrip().startswith('# ') and '\n> ' in md[0], 'an H1 title and a > summary first'
    if nb.stem != 'index' and not nb.stem.startswith('9'):      # 9x: tutorials use the package, they export nothing
        assert src(cells[0]).startswith('#| default_exp '), 'first cell: #| default_exp'
        assert sum(1 for c in cells if c['cell_type'] == 'code' and '#| export' in src(c)) > 0

@pytest.fixture(scope='module')
def clean_copy(tmp_path_factory):
    "A copy of the tracked and untracked-not-ignored files (what a fresh clone plus this change would hold)."
    files = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard'], cwd=ROOT, capture_output=True, text=True).stdout.split()
    dst = tmp_path_factory.mktemp('repo')
    for f in files:
        if (ROOT/f).is_file(): (dst/f).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(ROOT/f, dst/f)
    return dst

def _nbdev(cmd, cwd):
    "Run an nbdev command; without IN_TEST, which makes nbdev_export silently do nothing."
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
    subprocess.run([cmd], cwd=cwd, check=True, capture_output=True, env=env)

def _tree(d, sub): return {p.relative_to(d): p.read_bytes() for p in (d/sub).rglob('*') if p.is_file() and '__pycache__' not in p.parts}

def test_export_leaves_package_unchanged(clean_copy):
    before = _tree(clean_copy, 'ttmr_nb')
    _nbdev('nbdev_export', clean_copy)
    after = _tree(clean_copy, 'ttmr_nb')
    changed = sorted(str(k) for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f'ttmr_nb/ is out of date with nbs/ (run nbdev_export): {changed}'

def test_notebooks_are_clean(clean_copy):
    before = _tree(clean_copy, 'nbs')
    _nbdev('nbdev_clean', clean_copy)
    after = _tree(clean_copy, 'nbs')
    changed = sorted(str(k) for k in before if before[k] != after.get(k))
    assert not changed, f'notebooks need nbdev_clean: {changed}'

def test_export_test_can_fail(clean_copy, tmp_path):
    "The export check must see a stale module: break one in a copy and export repairs it."
    mod = clean_copy/'ttmr_nb'/'tags.py'; good = mod.read_bytes()
    mod.write_bytes(good + b'\n# stale\n')
    _nbdev('nbdev_export', clean_copy)
    assert mod.read_bytes() == good

def test_package_pyflakes_clean():
    "A name that only a notebook's test cell imports passes `nbdev_test` yet fails in the exported module: pyflakes reads the package (undefined names, unused imports)."
    pytest.importorskip('pyflakes')
    out = subprocess.run([sys.executable, '-m', 'pyflakes', *map(str, sorted((ROOT/'ttmr_nb').glob('*.py')))], capture_output=True, text=True).stdout
    assert not out.strip(), out

def test_product_reads_nothing_beside_the_clone():
    "The package and the chapters read only the repository (and what a user passes them): no path to a folder beside it."
    hits = []
    for p in [*(ROOT/'ttmr_nb').glob('*.py'), *_notebooks()]:
        text = p.read_text(encoding='utf-8')
        hits += [f'{p.name}: {w}' for w in ('../shared', 'shared/data', 'shared_data_dir', 'TTMR_SHARED') if w in text]
    assert not hits, hits

@pytest.mark.slow
def test_suite_passes_in_a_bare_clone(tmp_path):
    "The whole default suite in a clone of the committed HEAD with nothing beside it (about 15 min on 2 cores)."
    subprocess.run(['git', 'clone', '-q', str(ROOT), str(tmp_path/'ttmr_nb')], check=True)
    clone = tmp_path/'ttmr_nb'                   # this environment is set up: the clone's set-up check (a test) must not
    stamp = hashlib.sha1((clone/'settings.ini').read_bytes() + (clone/'setup.py').read_bytes()).hexdigest()
    (clone/'.ci'/'.installed').write_text(stamp + '\n')          # re-install the package from a folder deleted after the test
    env = {k: v for k, v in os.environ.items() if k not in ('IN_TEST', 'TTMR_DATA')} | {'PYTHONPATH': str(tmp_path/'ttmr_nb')}
    r = subprocess.run([sys.executable, 'tests/run_all.py'], cwd=tmp_path/'ttmr_nb', capture_output=True, text=True, env=env)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ttmr_nb']
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
