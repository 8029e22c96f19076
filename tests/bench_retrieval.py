"""Benchmark of the retrieval model: training throughput, embedding throughput, peak memory. Prints numbers; asserts nothing.

    python3 tests/bench_retrieval.py                              # cpu preset on this machine
    python3 tests/bench_retrieval.py --preset ttmrpp --device cuda  # the paper's model on a GPU (bf16, mel on the GPU)

Training is measured twice: the real loop (`ttmr_nb.train.train`: data loading in workers, FLAC decoding, random
crops, log-mel on the model's device, InfoNCE, AdamW) and the model step alone on waveforms already in memory, which
shows how much of a step the input pipeline costs. Warm-up steps are excluded. Audio embedding is `embed_audio`
over whole clips (10 s windows); text embedding is `embed_text`.
"""
import argparse, json, resource, tempfile, time
from pathlib import Path
import numpy as np, torch

def _peak_rss_gb() -> float:
    "Peak resident memory of this process and of its finished children (data-loader workers), GB."
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 2**20, kids / 2**20

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--preset', default='cpu', choices=('cpu', 'ttmrpp'))
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--manifest', default='data/corpus/full/manifest.jsonl', help='default: the full corpus (else a tiny slice is built)')
    ap.add_argument('--steps', type=int, default=30, help='training steps to time (after --warmup)')
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--batch-size', type=int, help="default: the preset's")
    ap.add_argument('--workers', type=int, help="data-loader workers (default: the preset's)")
    ap.add_argument('--embed-clips', type=int, default=64)
    a = ap.parse_args(argv)
    from ttmr_nb.corpus import CorpusConfig, build_corpus, load_manifest, audio_path
    from ttmr_nb.train import TrainConfig, train, _autocast
    from ttmr_nb.model import TTMRModel
    from ttmr_nb.losses import info_nce
    from ttmr_nb.train import make_optimizer

    man = Path(a.manifest)
    if not man.is_file():
        print(f'{man} not found: building a 60-clip slice of the tiny corpus')
        man = build_corpus(CorpusConfig.preset('tiny'), Path(tempfile.mkdtemp()) / 'c', limit=60, progress=False)
    over = {k: v for k, v in dict(batch_size=a.batch_size, num_workers=a.workers).items() if v is not None}
    cfg = TrainConfig.preset(a.preset, manifest=str(man), **over)
    dev = torch.device(a.device)
    n_params = sum(p.numel() for p in TTMRModel(cfg.model).parameters())
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, device {dev}'
          + (f' ({torch.cuda.get_device_name(dev)})' if dev.type == 'cuda' else ''))
    print(f'preset {a.preset}: {n_params / 1e6:.1f} M parameters, batch {cfg.batch_size}, {cfg.num_workers} loader workers, manifest {man}')

    # 1. the real training loop
    run = Path(tempfile.mkdtemp()) / 'run'
    total = a.warmup + a.steps
    if dev.type == 'cuda': torch.cuda.reset_peak_memory_stats(dev)
    train(cfg.replace(max_steps=total, log_every=1, ckpt_every=10**9, warmup_steps=1), run, device=str(dev), progress=False)
    m = [json.loads(l) for l in (run / 'metrics.jsonl').read_text().splitlines()]
    w, e = m[a.warmup - 1], m[-1]
    cps = (e['examples'] - w['examples']) / (e['seconds'] - w['seconds'])
    print(f"training loop: {cps:.1f} clips/s, {(e['seconds'] - w['seconds']) / (e['step'] - w['step']):.2f} s/step "
          f"({a.steps} steps after {a.warmup} warm-up; {cps * cfg.model.audio.clip_seconds:.0f} s of audio per second)")

    # 2. the model step alone (waveforms in memory)
    model = TTMRModel(cfg.model).to(dev).train(); opt = make_optimizer(model, cfg)
    wav = torch.randn(cfg.micro_batch, cfg.model.audio.clip_samples, device=dev) * 0.1
    texts = [f'violin, slow, {i}' for i in range(cfg.micro_batch)]
    def step():
        with _autocast(cfg, dev):
            x, y, scale = model(wav, texts); loss = info_nce(x.float(), y.float(), scale)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(a.warmup): step()
    if dev.type == 'cuda': torch.cuda.synchronize(dev)
    t0 = time.perf_counter()
    for _ in range(a.steps): step()
    if dev.type == 'cuda': torch.cuda.synchronize(dev)
    dt = (time.perf_counter() - t0) / a.steps
    print(f'model step alone: {cfg.micro_batch / dt:.1f} clips/s, {dt:.2f} s/step '
          f'(the input pipeline costs {max(0.0, 1 - cps / (cfg.micro_batch / dt)):.0%} of the loop)')

    # 3. embedding throughput
    model.eval()
    df = load_manifest(man); df = df.iloc[:a.embed_clips]
    paths = [audio_path(df, r) for r in df.to_dict('records')]
    model.embed_audio(paths[:2])
    t0 = time.perf_counter(); model.embed_audio(paths, batch_size=32 if dev.type == 'cuda' else 16); dt = time.perf_counter() - t0
    print(f'embed_audio: {len(paths) / dt:.1f} clips/s, {df.duration_s.sum() / dt:.0f}x real time ({len(paths)} clips, {df.duration_s.sum() / 60:.1f} min of audio)')
    texts = [f'a slow piece for {i} voices' for i in range(256)]
    t0 = time.perf_counter(); model.embed_text(texts); dt = time.perf_counter() - t0
    print(f'embed_text: {len(texts) / dt:.0f} texts/s')

    own, kids = _peak_rss_gb()
    print(f'peak memory: {own:.2f} GB resident (this process), {kids:.2f} GB (largest finished child: a loader worker)'
          + (f'; GPU {torch.cuda.max_memory_allocated(dev) / 2**30:.2f} GB allocated' if dev.type == 'cuda' else ''))

if __name__ == '__main__':
    main()
