from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

def pytest_configure(config):
    config.addinivalue_line('markers', 'slow: long-running; run with `python3 tests/run_all.py --flags slow`')

@pytest.fixture(scope='session')
def root(): return ROOT

def run_ttmr(*args, **kw):
    "Run the installed `ttmr` console script, as a user would."
    import subprocess
    return subprocess.run(['ttmr', *map(str, args)], capture_output=True, text=True, **kw)
