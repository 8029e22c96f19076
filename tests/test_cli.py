"`ttmr` end to end: a small corpus build, a build killed with SIGKILL and resumed, and clear errors."
import hashlib, importlib, json, os, signal, subprocess, time
from pathlib import Path
from conftest import run_ttmr

def test_every_subcommand_resolves():
    from ttmr_nb.cli import SUBCOMMANDS
    for name, (target, _) in SUBCOMMANDS.items():
        mod, fn = target.split(':'); assert callable(getattr(importlib.import_module(mod), fn)), name

def test_unknown_command():
    r = run_ttmr('copus'); assert r.returncode == 2 and "unknown command 'copus'" in r.stderr

def _digest(folder: Path):
    "clip records without timing, and the audio bytes' hashes: what must not depend on how the build ran."
    recs = [json.loads(l) for l in (folder/'manifest.jsonl').read_text().splitlines()]
    audio = {r['clip_id']: hashlib.sha1((folder/r['audio']).read_bytes()).hexdigest() for r in recs}
    return recs, audio

def test_corpus_build_then_load(tmp_path):
    r = run_ttmr('corpus', '--preset', 'tiny', '--limit', '12', '--out', tmp_path/'c', '--jobs', '2', '--quiet', timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'total' in r.stdout and 'x real time per worker' in r.stdout
    from ttmr_nb.corpus import load_manifest, audio_path
    from ttmr_nb.audio import AudioConfig, LogMel, load_clip
    df = load_manifest(tmp_path/'c')
    assert len(df) >= 10 and df.collection.nunique() >= 8
    cfg = AudioConfig()
    x = load_clip(audio_path(df, df.iloc[0]), cfg, 'centre')
    assert LogMel(cfg)(x).shape == (1, 128, 1002)

def test_killed_build_resumes_to_the_same_corpus(tmp_path):
    args = ['ttmr', 'corpus', '--preset', 'tiny', '--limit', '16', '--jobs', '2', '--quiet']
    p = subprocess.Popen(args + ['--out', str(tmp_path/'a')], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    journal = tmp_path/'a'/'journal.jsonl'
    deadline = time.time() + 300
    while time.time() < deadline and p.poll() is None:
        if journal.is_file() and journal.read_text().count('\n') >= 4: break
        time.sleep(0.05)
    assert p.poll() is None, 'the build finished before it could be killed: kill sooner'
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    assert not (tmp_path/'a'/'manifest.jsonl').exists()           # nothing final was written
    r = subprocess.run(args + ['--out', str(tmp_path/'a')], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = (tmp_path/'a'/'journal.jsonl').read_text().splitlines()
    ids = [json.loads(l)['work_id'] for l in lines]
    assert len(ids) == len(set(ids)) == 16                          # each work journalled once: nothing redone twice
    r = subprocess.run(args + ['--out', str(tmp_path/'b')], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert _digest(tmp_path/'a') == _digest(tmp_path/'b')            # same records, same audio, bit for bit
    leftovers = [p for p in (tmp_path/'a'/'audio').rglob('.*')]
    assert not leftovers, leftovers

def test_missing_soundfont_is_a_clear_error(tmp_path):
    r = run_ttmr('corpus', '--preset', 'tiny', '--limit', '1', '--out', tmp_path, '--soundfont', '/nope.sf2')
    assert r.returncode == 1 and 'fluid-soundfont-gm' in r.stderr and 'Traceback' not in r.stderr

def test_train_names_a_missing_text_model(tmp_path):
    "The ttmrpp and official presets need roberta-base, which nothing here downloads: `--text-model` points at it, and a wrong one is named."
    from ttmr_nb.corpus import shared_corpus
    r = run_ttmr('train', '--preset', 'official', '--text-model', tmp_path/'no-roberta', '--manifest', shared_corpus(4),
                 '--run', tmp_path/'run', '--max-steps', '1', timeout=300)
    assert r.returncode == 1 and 'no-roberta' in r.stderr and 'download it once' in r.stderr, r.stderr[-2000:]
