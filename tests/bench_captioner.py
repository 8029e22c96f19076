"""Pseudo-captioning throughput: captions/s and generated tokens/s of the LoRA captioner, free and stating its tags.

    python3 tests/bench_captioner.py [--run data/captioner/smollm2-lora] [--items data/corpus/full/manifest.jsonl] [--n 64]

Generation is batched (`gen_batch_size` prompts of similar length, left-padded) with the key/value cache on; the
stating decoder (`StateTags`, `--state instrument,genre`) runs once per generated token and row. Prints, per mode:
captions/s, tokens/s, and the share of time spent in the logits processor; then free decoding with bf16 weights
(`CaptionerConfig.dtype='bfloat16'`) and how many of its captions equal the fp32 ones.
"""
import argparse, time
from pathlib import Path

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', default='data/captioner/smollm2-lora'); ap.add_argument('--items', default='data/corpus/full/manifest.jsonl')
    ap.add_argument('--n', type=int, default=64); ap.add_argument('--batch', type=int, default=32)
    a = ap.parse_args(argv)
    import torch
    from ttmr_nb.captioner import load_captioner, read_items, generate_captions, StateTags, CaptionerConfig
    items = read_items(a.items, limit=a.n)
    model, tok, cfg = load_captioner(a.run)
    print(f'{a.run}: {len(items)} items, batches of {a.batch}, max {cfg.max_new_tokens} new tokens, {torch.get_num_threads()} threads')
    spent = [0.0]; call = StateTags.__call__
    def timed(self, ids, scores):
        t = time.perf_counter(); r = call(self, ids, scores); spent[0] += time.perf_counter() - t; return r
    StateTags.__call__ = timed
    free = None
    for name, extra in [('free', {}), ('stating instrument, genre', dict(state_families=('instrument', 'genre'), avoid_bias=2.0)),
                        ('free, bf16 weights', {})]:
        if 'bf16' in name: model = model.to(torch.bfloat16)     # other arithmetic: greedy decoding may take another path
        c = cfg.replace(gen_batch_size=a.batch, **extra); spent[0] = 0.0
        t = time.perf_counter(); caps = generate_captions(model, tok, [i['tags'] for i in items], c, progress=False); dt = time.perf_counter() - t
        n_tok = sum(len(tok.encode(x, add_special_tokens=False)) for x in caps)
        same = '' if free is None or extra else f'; {sum(x == y for x, y in zip(caps, free))}/{len(caps)} captions as in fp32'
        free = caps if free is None else free
        print(f'{name:28s} {len(caps) / dt:6.2f} captions/s  {n_tok / dt:7.1f} tokens/s  ({dt:.1f} s; logits processor {100 * spent[0] / dt:.0f} %{same})')

if __name__ == '__main__': main()
