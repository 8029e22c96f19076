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
    assert 'nbdev==2.4.7' in reqs and cfg['DEFAULT']['tst_flags'].split('|')[:2] == ['slow', 'gpu']
    import nbdev; assert nbdev.__version__ == '2.4.7', nbdev.__version__

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
