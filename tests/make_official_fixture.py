"""Run TTMR++'s released model code once, with random weights at a reduced width, and keep what it computed as a fixture.

    python3 tests/make_official_fixture.py PATH/TO/music-text-representation-pp[.git] [--commit 4bc7aa7] [--out FILE]

PATH is a local git copy of the public repository `seungheondoh/music-text-representation-pp`. Its `mtrpp` package
is read with `git archive` into a temporary folder at the pinned commit and imported from there: none of its code is
copied into this repository, only the numbers it produces. Offline: the two hub loads of its `DualEncoderModel`
(`AutoModel` and `AutoTokenizer` for roberta-base) are replaced by a small RoBERTa built from a config, and its unused
`librosa` import by an empty module (its filterbank comes from the `.npz` it ships).

The fixture (`tests/fixtures/ttmrpp_official_tiny.safetensors`) holds the model's state dict (`state.*`), the inputs
(`input.wav`: waveforms of one batch, `input.ids`/`input.mask`: token ids) and its outputs (`output.audio`: the audio
projections, `output.text`: the text projections, `output.logits`: scaled cosine logits), with the commit and every
constructor argument in its metadata. `nbs/24_official_checkpoint.ipynb` converts the state dict and checks that
ttmr_nb computes the same outputs.
"""
import argparse, io, json, subprocess, sys, tarfile, tempfile, types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'tests' / 'fixtures' / 'ttmrpp_official_tiny.safetensors'
ARGS = dict(text_arch='tiny-roberta', n_mels=128, n_fft=1024, hop_size=0.01, width=8, head=8, sr=22050, duration=10,
            max_length=32, audio_dim=64, text_dim=32, mlp_dim=16, temperature=0.07)   # DualEncoderModel's arguments
ROBERTA = dict(vocab_size=300, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
               max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2)

def import_official(repo: str, commit: str):
    "The `mtrpp` package of `repo` at `commit`, imported from a temporary folder (with the two offline stubs)."
    tar = subprocess.run(['git', '--git-dir' if Path(repo, 'HEAD').is_file() and not Path(repo, '.git').exists() else '-C',
                          repo, 'archive', commit, 'mtrpp'], capture_output=True, check=True).stdout
    folder = tempfile.mkdtemp(prefix='mtrpp-')
    with tarfile.open(fileobj=io.BytesIO(tar)) as t: t.extractall(folder, filter='data')
    import transformers                                      # first: it looks for librosa itself, and must not find the stub
    from transformers import RobertaConfig, RobertaModel
    sys.modules['librosa'] = types.ModuleType('librosa')     # imported by mel.py, never called
    sys.path.insert(0, folder)
    transformers.AutoModel.from_pretrained = staticmethod(lambda *a, **k: RobertaModel(RobertaConfig(**ROBERTA)))
    transformers.AutoTokenizer.from_pretrained = staticmethod(lambda *a, **k: None)   # token ids are given directly
    from mtrpp.model import dual_encoder
    return dual_encoder

def inputs(sr: int = 22050, seconds: float = 3.0):
    "Two waveforms (a rising tone over noise, and a quieter one that ends in silence) and two padded token sequences."
    import torch
    g = torch.Generator().manual_seed(0)
    t = torch.arange(int(sr * seconds)) / sr
    a = 0.3 * torch.sin(2 * torch.pi * 220 * t * (1 + t)) + 0.05 * torch.randn(len(t), generator=g)
    b = 0.02 * torch.randn(len(t), generator=g); b[len(t) // 2:] = 0
    ids = torch.randint(3, ROBERTA['vocab_size'], (2, 9), generator=g); ids[:, 0] = 0; ids[0, -1] = 2
    ids[1, 6:] = 1; ids[1, 5] = 2                                      # <s> … </s> <pad> …
    return torch.stack([a, b]).float(), ids, (ids != 1).long()

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('repo'); ap.add_argument('--commit', default='4bc7aa788886ed98d3936433976b79f033dfe494')
    ap.add_argument('--out', default=str(OUT))
    a = ap.parse_args(argv)
    import torch
    from safetensors.torch import save_file
    dual = import_official(a.repo, a.commit)
    torch.manual_seed(0)
    model = dual.DualEncoderModel(**ARGS)
    with torch.no_grad():                                # batch statistics that are not the identity
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
    model.eval()
    wav, ids, mask = inputs(ARGS['sr'])
    with torch.no_grad():
        z_audio = model.audio_forward(wav)                               # their audio path, whole batch (batch-wide floor)
        h = model.text_encoder(input_ids=ids, attention_mask=mask)['last_hidden_state'][:, 0]   # their text_forward, after tokenising
        z_text = model.text_projector(h)
        scale = torch.clamp(model.logit_scale.exp(), max=100)
        logits = torch.nn.functional.normalize(z_audio, dim=1) @ torch.nn.functional.normalize(z_text, dim=1).T * scale
    tensors = {f'state.{k}': v.detach().clone().contiguous() for k, v in model.state_dict().items()}   # (logit_scale is shared)
    tensors |= {'input.wav': wav, 'input.ids': ids, 'input.mask': mask, 'output.audio': z_audio, 'output.text': z_text,
                'output.logits': logits}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, a.out, metadata={'commit': a.commit, 'repository': 'seungheondoh/music-text-representation-pp',
                                        'model_args': json.dumps(ARGS), 'roberta_config': json.dumps(ROBERTA),
                                        'made_by': 'tests/make_official_fixture.py'})
    print(f'{a.out}: {len(tensors)} tensors, {Path(a.out).stat().st_size / 1e6:.1f} MB, commit {a.commit[:7]}')

if __name__ == '__main__': main()
