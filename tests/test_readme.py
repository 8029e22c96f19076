"README.md is generated from nbs/index.ipynb, holds exactly two commands, and CI runs the second."
import re
from conftest import ROOT

def _quick_start_commands():
    text = (ROOT/'README.md').read_text()
    section = text.split('## Quick start', 1)[1].split('\n## ', 1)[0]
    blocks = re.findall(r'```bash\n(.*?)```', section, re.S)
    assert len(blocks) == 1, 'one bash block in Quick start'
    return [l.split('#')[0].strip() for l in blocks[0].splitlines() if l.split('#')[0].strip()]

def test_readme_generated_from_index():
    from ttmr_nb.docs import write_readme
    assert write_readme(ROOT, check=True), 'README.md differs from nbs/index.ipynb: run `ttmr docs readme`'

def test_two_commands():
    cmds = _quick_start_commands()
    assert len(cmds) == 2 and all(c.startswith('bash .ci/setup.sh ') for c in cmds)
    assert 'ttmr run' in cmds[0] and 'tests/run_all.py' in cmds[1]

def test_ci_runs_the_readme_test_command():
    ci = [l.strip() for l in (ROOT/'.ci/run').read_text().splitlines() if l.strip() and not l.startswith('#')]
    assert ci[-1] == _quick_start_commands()[1]
