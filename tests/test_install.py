"The installed package: version, console script, and the torchaudio arrangement the README describes."
import configparser, re, subprocess
from conftest import ROOT, run_ttmr

def test_version_matches_settings():
    import ttmr_nb
    cfg = configparser.ConfigParser(); cfg.read(ROOT/'settings.ini')
    assert ttmr_nb.__version__ == cfg['DEFAULT']['version']

def test_console_script():
    r = run_ttmr('--version')
    assert r.returncode == 0 and r.stdout.strip().startswith('ttmr_nb ')
    r = run_ttmr('--help'); assert r.returncode == 0 and 'corpus' in r.stdout

def test_nbdev_pinned_to_2():
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    reqs = cfg['DEFAULT']['requirements']
    assert 'nbdev==2.4.7' in reqs
    import nbdev; assert nbdev.__version__ == '2.4.7', nbdev.__version__

def test_nbdev_test_skips_flagged_cells(tmp_path):
    "nbdev_test splits `tst_flags` on spaces: cells flagged slow, gpu or notest must not run by default."
    from nbdev.config import get_config
    from nbdev.test import test_nb
    flags = get_config(path=ROOT).tst_flags.split()
    assert {'slow', 'gpu', 'notest'} <= set(flags), flags
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1'),
                                         *[nbformat.v4.new_code_cell(f'#| {f}\nraise RuntimeError("{f} cell ran")') for f in ('slow', 'gpu', 'notest')],
                                         nbformat.v4.new_code_cell('assert x == 1')])
    fn = tmp_path / 'flags.ipynb'; nbformat.write(nb, fn)
    assert test_nb(fn, skip_flags=flags, showerr=False)[0]                          # what nbdev_test does by default
    assert not test_nb(fn, skip_flags=flags, force_flags=['slow'], showerr=False)[0]  # --flags slow runs it

def test_torchaudio_pure_python_parts_work():
    import torch, torchaudio.functional as F, torchaudio.transforms as T
    assert T.MelSpectrogram(22050, n_fft=1024, hop_length=220, n_mels=128)(torch.zeros(1, 22050)).shape == (1, 128, 101)
    assert F.resample(torch.zeros(44100), 44100, 22050).shape == (22050,)

def test_no_torchaudio_io_in_package():
    "Audio I/O goes through soundfile: torchaudio.load/save need torchcodec, which has no CPU build."
    for p in (ROOT/'ttmr_nb').glob('*.py'):
        assert not re.search(r'torchaudio\.(load|save|info)\b', p.read_text()), p.name

def test_setup_script_is_idempotent():
    r = subprocess.run(['bash', '.ci/setup.sh', 'python3', '-c', 'import ttmr_nb; print("ok")'], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().endswith('ok') and 'ready: ttmr_nb' in r.stderr

def test_installed_metadata_matches_settings():
    import importlib.metadata as im, configparser
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    assert im.version('ttmr_nb') == cfg['DEFAULT']['version']
