"""TTMR++'s released model against ours, side by side, in one process: training step and audio embedding at one config.

    python3 tests/bench_vs_official.py PATH/TO/music-text-representation-pp[.git] [--device cpu|cuda] [--steps 3]

PATH is a local git copy of `seungheondoh/music-text-representation-pp`; its `mtrpp` package is imported from a
temporary folder at the pinned commit (`tests/make_official_fixture.py`), never copied here. Both models get the same
config — 22,050 Hz, 10 s crops, 128 mels, ModifiedResNet-50 of width 64, a roberta-base-sized text encoder with random
weights (built from a config: nothing is downloaded), 32-token texts, a 128-d joint space, AdamW 5e-5 — and the same
inputs; each side's optimizer is built as its own trainer builds it (theirs: `torch.optim.AdamW` with its defaults;
ours: `make_optimizer`, fused). Ours runs its `ttmrpp` preset with that text encoder. Printed: clips/s for the training step (forward,
backward, AdamW; batch 4 and 8, more on a GPU; the median of --steps calls, the two models' calls alternating), audio embedding (batch 16, eval, inference mode; ours as `embed_audio` runs it, batch norms folded), peak memory on a GPU,
CPU time per wall time (near the number of cores when nothing else runs; lower means contention), and the ratios.
On `--device cuda` both use bf16 autocast and compute the mel spectrogram on the device, at the paper's batch (96);
`--cpu-bf16` adds ours under bf16 autocast on a CPU with native bf16 (its own row: other arithmetic than theirs);
`--compile` adds ours compiled: training with `TrainConfig.compile` (a second model), embedding as `embed_audio` does
from `COMPILE_FROM` tracks on.
"""
import argparse, json, os, resource, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_official_fixture as mof

ROBERTA_BASE = dict(vocab_size=50265, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                    max_position_embeddings=514, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2)
TOKENS = 32

def official_model(repo, commit, device):
    "Their DualEncoderModel at full size, its hub loads replaced: a config-built roberta-base and a fixed-length tokenizer."
    import torch, transformers
    mof.ROBERTA.clear(); mof.ROBERTA.update(ROBERTA_BASE)
    dual = mof.import_official(repo, commit)
    def tokenizer(texts, **kw):
        g = torch.Generator().manual_seed(len(texts))
        ids = torch.randint(3, ROBERTA_BASE['vocab_size'], (len(texts), TOKENS), generator=g); ids[:, 0], ids[:, -1] = 0, 2
        return {'input_ids': ids, 'attention_mask': torch.ones_like(ids)}
    transformers.AutoTokenizer.from_pretrained = staticmethod(lambda *a, **k: tokenizer)
    torch.manual_seed(0)
    return dual.DualEncoderModel(text_arch='roberta-base', width=64, head=8, audio_dim=768, mlp_dim=128, max_length=128,
                                 temperature=0.07).to(device)

def our_model(device, folder):
    "Our `ttmrpp` preset with the same roberta-base-sized text encoder (a folder written here)."
    import torch
    from ttmr_nb.official import tiny_roberta_folder
    from ttmr_nb.model import ModelConfig, TTMRModel
    from ttmr_nb.text_encoder import TextEncoderConfig
    tiny_roberta_folder(folder, ROBERTA_BASE)
    cfg = ModelConfig.preset('ttmrpp', text_encoder=TextEncoderConfig(model=str(folder), pooling='first', max_length=128))
    torch.manual_seed(0)
    return TTMRModel(cfg).to(device)

def texts(b):
    "Texts of exactly 30 bytes: 32 tokens with our byte-level stand-in tokenizer, as theirs gets."
    return [f'{i:03d} a slow air for solo flute..'[:30] for i in range(b)]

def _clock(fn, device):
    "Wall and CPU seconds of one call."
    import torch
    w0, c0 = time.perf_counter(), time.process_time(); fn()
    if device == 'cuda': torch.cuda.synchronize()
    return time.perf_counter() - w0, time.process_time() - c0

def interleaved(fns: dict, steps: int, device: str) -> dict:
    """name → (median s per call, CPU/wall, peak memory): the calls alternate (A, B, A, B, …) after one warm-up each, so that a
    machine that speeds up or slows down (shared hosts do) shifts both sides alike."""
    import torch
    for fn in fns.values(): fn()                                        # warm-up (allocations, autotuning)
    if device == 'cuda': torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
    t = {name: [] for name in fns}
    for _ in range(steps):
        for name, fn in fns.items(): t[name].append(_clock(fn, device))
    peak = torch.cuda.max_memory_allocated() / 2**30 if device == 'cuda' else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {name: (sorted(w for w, _ in v)[len(v) // 2], sum(c for _, c in v) / sum(w for w, _ in v), peak) for name, v in t.items()}

def bench(sides: dict, batches, device, steps) -> list[dict]:
    "sides: name → (model, loss_fn, embed_fn, make_opt, bf16); make_opt None: embedding only. Rows of clips/s per measure and side, the sides interleaved."
    import torch
    ctx = lambda name: torch.autocast(device.split(':')[0], torch.bfloat16, enabled=sides[name][4])
    opts, rows = {name: side[3](side[0]) for name, side in sides.items() if side[3]}, []
    def step_fn(name, wav, b):
        model, loss_fn = sides[name][:2]
        def step():
            with ctx(name): loss = loss_fn(model, wav, texts(b))
            loss.backward(); opts[name].step(); opts[name].zero_grad(set_to_none=True)
        return step
    def embed_fn(name, wav):
        def embed():
            with torch.inference_mode(), ctx(name): sides[name][2](sides[name][0], wav)
        return embed
    for b in batches:
        wav = torch.randn(b, 220500, device=device) * 0.1
        for model, *_ in sides.values(): model.train()
        res = interleaved({name: step_fn(name, wav, b) for name in opts}, steps, device)
        rows += [dict(model=name, measure=f'training step, batch {b}', clips_per_s=b / s, cpu_per_wall=u, peak=pk) for name, (s, u, pk) in res.items()]
    wav = torch.randn(16, 220500, device=device) * 0.1
    for model, *_ in sides.values(): model.eval()
    res = interleaved({name: embed_fn(name, wav) for name in sides}, steps, device)
    rows += [dict(model=name, measure='audio embedding, batch 16', clips_per_s=16 / s, cpu_per_wall=u, peak=pk) for name, (s, u, pk) in res.items()]
    return rows

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('repo'); ap.add_argument('--commit', default='4bc7aa788886ed98d3936433976b79f033dfe494')
    ap.add_argument('--device', default='cpu'); ap.add_argument('--cpu-bf16', action='store_true', help="also ours under bf16 autocast on the CPU (TrainConfig precision='bf16'): other arithmetic, its own row")
    ap.add_argument('--compile', action='store_true', help='also ours compiled: the training step with TrainConfig.compile, the embedding as embed_audio compiles it for large catalogues')
    ap.add_argument('--steps', type=int, default=5, help='timed calls per side and measure (medians; the sides alternate)')
    a = ap.parse_args(argv)
    import torch, pandas as pd
    from ttmr_nb.losses import contrastive_loss
    cuda = a.device.startswith('cuda'); batches = (4, 8, 96) if cuda else (4, 8)
    theirs = official_model(a.repo, a.commit, a.device)
    tmp = tempfile.TemporaryDirectory()                               # a roberta-base-sized folder (~0.5 GB): removed at exit
    ours = our_model(a.device, Path(tmp.name) / 'roberta-base-shaped')
    from ttmr_nb.train import TrainConfig, make_optimizer
    folded = {}
    def embed_ours(m, w, compile=False):   # as `embed_audio` embeds: batch norms folded (and compiled) once, in the warm-up call
        if compile not in folded: folded[compile] = m.folded_projection(compile)
        return torch.nn.functional.normalize(folded[compile](w), dim=-1)
    make_ours = lambda m: make_optimizer(m, TrainConfig.preset('ttmrpp').replace(lr=5e-5))
    loss_ours = lambda m, w, t: contrastive_loss(*m(w, t), gather=False)['loss']
    sides = {'official': (theirs, lambda m, w, t: m(w, t), lambda m, w: m.audio_forward(w),
                          lambda m: torch.optim.AdamW(m.parameters(), 5e-5), cuda),                # as their train.py builds it
             'ttmr_nb': (ours, loss_ours, embed_ours, make_ours, cuda)}
    if a.cpu_bf16 and not cuda: sides['ttmr_nb bf16'] = (ours, loss_ours, embed_ours, make_ours, True)
    if a.compile:            # a second model whose tower trains compiled (`compile_tower`); its embedding: the folded tower compiled
        from ttmr_nb.train import compile_tower
        ours_c = our_model(a.device, Path(tmp.name) / 'roberta-base-shaped'); compile_tower(ours_c, torch.device(a.device))
        sides['ttmr_nb compiled'] = (ours_c, loss_ours, lambda m, w: embed_ours(ours, w, True), make_ours, cuda)
    rows = bench(sides, batches, a.device, a.steps)
    t = pd.DataFrame(rows).pivot(index='measure', columns='model', values=['clips_per_s', 'cpu_per_wall', 'peak'])
    for side in sides:
        if side != 'official': t[('ratio', f'{side} ÷ official')] = t[('clips_per_s', side)] / t[('clips_per_s', 'official')]
    n = lambda m: sum(p.numel() for p in m.audio_encoder.parameters()) / 1e6
    print(f'device {a.device} ({torch.get_num_threads()} threads), official commit {a.commit[:7]}, median of {a.steps} alternating calls each')
    print(f'audio tower: official {n(theirs):.1f} M parameters, ttmr_nb {n(ours):.1f} M; peak = GiB on a GPU, max RSS GiB on CPU')
    with pd.option_context('display.width', 200, 'display.max_columns', 20, 'display.precision', 3): print(t)

if __name__ == '__main__': main()
