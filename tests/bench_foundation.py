"""Benchmark of the foundation: rendering, clip making, audio loading and log-mel. Prints numbers; asserts nothing.

    python3 tests/bench_foundation.py [--clips 40]

Rendering and clip making are single-process figures (a corpus build runs one worker per core); loading is
decode + resample of the corpus's FLAC files; log-mel is a batch of 10 s crops on the CPU (and CUDA if present).
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import numpy as np, torch

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--clips', type=int, default=40, help='works to render for the clip-making figure')
    a = ap.parse_args(argv)
    from ttmr_nb.render import score_notes, to_seconds, render_notes, find_soundfont, INSTRUMENTS
    from ttmr_nb.corpus import CorpusConfig, select_works, make_clips
    from ttmr_nb.audio import AudioConfig, LogMel, load_audio
    from music21 import corpus
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads; soundfont {find_soundfont().name}')

    # 1. synthesis alone: a 4-part chorale excerpt, 15 s, fresh synth per clip (as the corpus does)
    ex = to_seconds(score_notes(corpus.parse('bach/bwv108.6.mxl')), 80, seconds=15)
    progs = {p: INSTRUMENTS['violin'].program for p in range(4)}
    render_notes(ex, progs, seconds=15)                      # warm: loads the soundfont once
    ts = []
    for _ in range(10):
        t0 = time.perf_counter(); render_notes(ex, progs, seconds=15); ts.append(time.perf_counter() - t0)
    print(f'synthesis (4 parts, 15 s): {15 / statistics.median(ts):.0f}x real time per process (median of 10)')

    # 2. whole clips: parse, describe, render, encode FLAC; a round robin of works over all collections
    cfg = CorpusConfig.preset('tiny')
    works = select_works(cfg)
    works = works.assign(r=works.groupby('collection').cumcount()).sort_values('r', kind='stable').head(a.clips)
    out = Path(tempfile.mkdtemp())
    per = {}
    for w in works.to_dict('records'):
        t0 = time.perf_counter(); res = make_clips(w, cfg, out); dt = time.perf_counter() - t0
        s = sum(c['duration_s'] for c in res['clips'])
        per.setdefault(w['collection'], [0.0, 0.0]); per[w['collection']][0] += s; per[w['collection']][1] += dt
    tot_s, tot_t = sum(v[0] for v in per.values()), sum(v[1] for v in per.values())
    print(f'clip making, {len(works)} works: {tot_s / tot_t:.0f}x real time per process overall')
    for k, (s, t) in sorted(per.items()): print(f'  {k:16s} {s / t:6.0f}x real time  ({t:.1f} s for {s:.0f} s of audio)')

    # 3. loading: decode + mono + crop of the FLAC clips just written
    files = sorted(out.rglob('*.flac'))
    cfga = AudioConfig()
    t0 = time.perf_counter(); secs = sum(load_audio(f).shape[0] / 22050 for f in files); dt = time.perf_counter() - t0
    print(f'load_audio (FLAC 22,050 Hz): {len(files) / dt:.0f} files/s, {secs / dt:.0f}x real time')
    import soundfile as sf
    sf.write(out / 'x44.wav', np.random.randn(44100 * 15).astype('float32') * 0.1, 44100)
    t0 = time.perf_counter()
    for _ in range(20): load_audio(out / 'x44.wav')
    print(f'load_audio with resampling 44.1 -> 22.05 kHz: {20 * 15 / (time.perf_counter() - t0):.0f}x real time')

    # 4. log-mel of a batch of 10 s crops
    for dev in ['cpu'] + (['cuda'] if torch.cuda.is_available() else []):
        lm = LogMel(cfga).to(dev); x = torch.randn(32, cfga.clip_samples, device=dev)
        lm(x); (torch.cuda.synchronize() if dev == 'cuda' else None)
        t0 = time.perf_counter()
        for _ in range(5): lm(x)
        if dev == 'cuda': torch.cuda.synchronize()
        dt = (time.perf_counter() - t0) / 5
        print(f'LogMel on {dev}: batch 32 x 10 s in {dt * 1000:.0f} ms = {32 * 10 / dt:.0f}x real time')

if __name__ == '__main__': main()
