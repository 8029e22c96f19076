"""Benchmark of `ttmr index` over a real music library: tracks/s, × real time, peak memory, and an incremental update.
Prints numbers; asserts nothing.

    python3 tests/bench_index_library.py --debs DIR --model runs/main-tiny/index/model
    python3 tests/bench_index_library.py --library DIR --model MODEL     # a folder of audio you have

With `--debs`, the library is made from the Debian packages' own music files (Ogg Vorbis, mostly stereo 44.1 kHz, as
the packages ship them; `ttmr_nb.real_audio.deb_files` reads them without installing), and one track in ten is
re-encoded so that every format `ttmr index` claims is present: MP3 and FLAC at 48 kHz, stereo WAV. Five problem files
are added: an empty file, text named `.mp3`, an Ogg cut at 60 %, a 1 s clip and a silent clip. The index is built in a
child process (`ttmr index --audio-dir`), so its peak memory is the child's alone; then one file is added and the index
updated (`--update`), which must embed that file only.
"""
import argparse, json, resource, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, soundfile as sf

def _library_from_debs(debs: Path, out: Path, min_seconds: float = 30.0) -> list[Path]:
    "The packages' music files, as shipped (jingles under `min_seconds` left out); every tenth re-encoded as MP3, FLAC 48 kHz or WAV."
    from ttmr_nb.real_audio import deb_files, audio_kind
    made = []
    for deb in sorted(debs.glob('*.deb')):
        for name, data in deb_files(deb):
            kind = audio_kind(name, data[:4])
            if kind is None or '/doc/' in name: continue
            f = out / deb.name.split('_')[0] / (Path(name.replace('!', '/')).stem + kind)
            f.parent.mkdir(parents=True, exist_ok=True); f.write_bytes(data)
            try: info = sf.info(str(f))
            except RuntimeError: f.unlink(); continue                       # not decodable: not part of the library
            if info.duration < min_seconds: f.unlink(); continue
            made.append(f)
    for i, f in enumerate(made[::10]):                                      # formats the packages do not use
        wav, sr = sf.read(str(f), dtype='float32', always_2d=True)
        ext, fmt, rate = [('.mp3', 'MP3', 48000), ('.flac', 'FLAC', 48000), ('.wav', 'WAV', sr)][i % 3]
        if rate != sr:
            import torch, torchaudio.functional as AF
            wav = AF.resample(torch.from_numpy(wav.T.copy()), sr, rate).T.numpy()
        sf.write(str(f.with_suffix(ext)), np.clip(wav, -1, 1), rate, format=fmt); f.unlink()
        made[made.index(f)] = f.with_suffix(ext)
    return made

def _problem_files(out: Path, sample: Path):
    "An empty file, text named .mp3, a truncated Ogg, a 1 s clip and a silent clip."
    p = out / 'problems'; p.mkdir(exist_ok=True)
    (p / 'empty.ogg').write_bytes(b''); (p / 'notes.mp3').write_text('not audio at all\n')
    wav, sr = sf.read(str(sample), dtype='float32', frames=44100 * 20, always_2d=True)
    sf.write(str(p / 'whole.ogg'), wav, sr, format='OGG')
    data = (p / 'whole.ogg').read_bytes(); (p / 'whole.ogg').unlink(); (p / 'cut.ogg').write_bytes(data[:len(data) * 6 // 10])
    sf.write(str(p / 'one-second.wav'), wav[:sr], sr); sf.write(str(p / 'silent.flac'), np.zeros((sr * 30, 2), 'float32'), sr)

def _index(args: list[str]) -> tuple[float, float, str]:
    "Run `ttmr index` in a child: (seconds, the child's peak memory in GB, its stderr)."
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', 'import sys; from ttmr_nb.cli import main; sys.exit(main())', 'index', *args],
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode: raise SystemExit(f'ttmr index failed: {r.stderr[-2000:]}')
    print(r.stdout.strip())
    return dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20, r.stderr

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument('--debs', help='a folder of .deb files (e.g. the real source\'s download cache)'); src.add_argument('--library')
    ap.add_argument('--model', required=True, help='a model folder (save_pretrained), e.g. runs/main-tiny/index/model')
    ap.add_argument('--work', help='where to write the library and index (default: a temporary folder, removed after)')
    a = ap.parse_args(argv)
    work = Path(a.work or tempfile.mkdtemp(prefix='bench-library-'))
    try:
        lib = Path(a.library) if a.library else work / 'library'
        if a.debs:
            lib.mkdir(parents=True, exist_ok=True)
            files = _library_from_debs(Path(a.debs), lib)
            _problem_files(lib, files[0])
        from ttmr_nb.audio import decoder_messages
        audio = [f for f in sorted(lib.rglob('*')) if f.is_file()]
        infos = []
        with decoder_messages():                                           # mpg123's notes on the text file named .mp3
            for f in audio:
                try: infos.append(sf.info(str(f)))
                except RuntimeError: pass
        hours = sum(i.duration for i in infos) / 3600
        print(f'library: {len(audio)} files, {hours:.2f} h; formats {sorted({f.suffix for f in audio})}; '
              f'rates {sorted({i.samplerate for i in infos})}; channels {sorted({i.channels for i in infos})}')
        index = work / 'index'
        dt, peak, err = _index(['--audio-dir', str(lib), '--model', a.model, '--out', str(index)])
        info = json.loads((index / 'index.json').read_text())
        print(f"build: {info['items']} tracks indexed in {dt:.0f} s ({info['embed_seconds']:.0f} s embedding): "
              f"{info['items'] / dt:.2f} tracks/s, {hours * 3600 / dt:.0f}× real time, peak memory {peak:.2f} GB")
        print(f"skipped {len(info['skipped'])}: " + '; '.join(f'{Path(p).name}: {r}' for p, r in info['skip_reasons'].items()))
        print(f"indexed in part {len(info['partial'])}: " + '; '.join(f'{Path(p).name}: {r}' for p, r in info['partial'].items()))
        print('decoder messages on the terminal:', 'none' if not any('Illegal' in l or 'mpg123' in l.lower() for l in err.splitlines()) else err)
        extra = lib / 'added.wav'
        sf.write(str(extra), np.random.default_rng(0).standard_normal((22050 * 40, 2)).astype('float32') * 0.1, 22050)
        dt, _, _ = _index(['--audio-dir', str(lib), '--out', str(index), '--update'])
        info = json.loads((index / 'index.json').read_text())
        print(f"update after adding one file: {dt:.1f} s (model load included), {info['embedded']} files read (the new one and the "
              f"{len(info['skipped'])} unreadable ones, tried again), {info['reused']} embeddings reused")
    finally:
        if not a.work: shutil.rmtree(work, ignore_errors=True)

if __name__ == '__main__': main()
