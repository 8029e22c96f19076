"""Run the original musicnn (TensorFlow + librosa) once on two short recordings and keep what it computed as a fixture.

    python tests/make_musicnn_fixture.py AUDIO_A AUDIO_B        (with an interpreter that has tensorflow, librosa,
                                                               soundfile and `pip install --no-deps musicnn`)

Run in a throwaway environment, never by the tests: `python3 -m venv /tmp/tfenv; /tmp/tfenv/bin/pip install
tensorflow-cpu tf_keras librosa soundfile; /tmp/tfenv/bin/pip install --no-deps musicnn`. Each input is read the way
musicnn reads audio (librosa.load at 16 kHz, mono), cut to its first 6.5 s (two 3 s patches and a tail), scaled to a peak of 0.1 and
written to `tests/fixtures/musicnn/<a|b>.flac` as 16-bit PCM; the original `musicnn.extractor.extractor` then runs on those files,
so `nbs/18_musicnn.ipynb` can feed the port exactly the same audio. Saved in `reference.npz`: the taggram of every
model and file (`<model>/<a|b>/taggram`), the MTT_musicnn features `penultimate`, `max_pool` and `mean_pool`, and the
original's log-mel of file a (`mel/a`), and the MTT_musicnn taggram of each file nine times louder
(`loud/<a|b>/taggram`, peak 0.9). The level matters: the original computes log10(10000·S + 1) on a float16 mel
spectrogram, so the product overflows to infinity wherever S > 6.55 — at a peak of 0.9 but not at 0.1 for these
clips — and the network's output is then meaningless; the loud taggrams document that. `reference.json` records the versions that computed them. None of musicnn's
code is copied; only its outputs are kept.
"""
import json, sys, tempfile
from pathlib import Path
import numpy as np

OUT = Path(__file__).resolve().parent / 'fixtures' / 'musicnn'
MODELS = ('MTT_musicnn', 'MSD_musicnn', 'MTT_vgg', 'MSD_vgg')

def main(sources):
    import librosa, soundfile as sf, tensorflow as tf, musicnn
    from musicnn.extractor import extractor, batch_data
    OUT.mkdir(parents=True, exist_ok=True)
    files, ref = {}, {}
    for name, src in zip('ab', sources):
        y, _ = librosa.load(src, sr=16000)
        y = y[:int(6.5 * 16000)] / max(1e-9, np.abs(y[:int(6.5 * 16000)]).max()) * 0.1
        files[name] = OUT / f'{name}.flac'
        sf.write(files[name], y, 16000, subtype='PCM_16')
        loud = Path(tempfile.mkdtemp()) / f'{name}.wav'
        sf.write(loud, sf.read(files[name], dtype='float32')[0] * 9, 16000, subtype='FLOAT')
        ref[f'loud/{name}/taggram'] = extractor(str(loud), model='MTT_musicnn', extract_features=False)[0].astype(np.float32)
    for model in MODELS:
        for name, path in files.items():
            taggram, labels, feats = extractor(str(path), model=model, extract_features=True)
            ref[f'{model}/{name}/taggram'] = taggram.astype(np.float32)
            if model == 'MTT_musicnn':
                for k in ('penultimate', 'max_pool', 'mean_pool'): ref[f'{model}/{name}/{k}'] = np.asarray(feats[k], np.float32)
    _, rep = batch_data(str(files['a']), 187, 187)
    ref['mel/a'] = rep.astype(np.float32)
    np.savez_compressed(OUT / 'reference.npz', **ref)
    meta = dict(sources=[Path(s).name for s in sources], librosa=librosa.__version__, tensorflow=tf.__version__,
                numpy=np.__version__, musicnn=getattr(musicnn, '__version__', '0.1.0'))
    (OUT / 'reference.json').write_text(json.dumps(meta, indent=1) + '\n')
    print(meta, {k: v.shape for k, v in ref.items()})

if __name__ == '__main__':
    if len(sys.argv) != 3: sys.exit(__doc__)
    main(sys.argv[1:])
