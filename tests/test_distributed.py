"InfoNCE with negatives gathered across two real processes (torch.distributed, gloo on CPU)."
import tempfile
import torch, torch.distributed as dist, torch.multiprocessing as mp
import torch.nn.functional as F

B, D, SCALE = 6, 8, 10.0

def _data():
    g = torch.Generator().manual_seed(0)
    return (F.normalize(torch.randn(B, D, generator=g, dtype=torch.float64), dim=-1),
            F.normalize(torch.randn(B, D, generator=g, dtype=torch.float64), dim=-1))

def _worker(rank, world, init, cut, out):
    from ttmr_nb.losses import info_nce
    dist.init_process_group('gloo', init_method=init, rank=rank, world_size=world)
    try:
        A, T = _data()
        sl = slice(0, cut) if rank == 0 else slice(cut, B)          # unequal slices: a last, partial batch
        a, t = A[sl].clone().requires_grad_(), T[sl].clone().requires_grad_()
        loss = info_nce(a, t, SCALE); loss.backward()
        torch.save({'loss': loss.detach(), 'ga': a.grad, 'gt': t.grad, 'sl': (sl.start, sl.stop)}, f'{out}/{rank}.pt')
    finally:
        dist.destroy_process_group()

def test_gathered_info_nce_matches_one_process():
    from ttmr_nb.losses import info_nce
    A, T = _data()
    a1, t1 = A.clone().requires_grad_(), T.clone().requires_grad_()
    full = info_nce(a1, t1, SCALE); full.backward()
    for cut in (3, 4):
        with tempfile.TemporaryDirectory() as d:
            mp.spawn(_worker, args=(2, f'file://{d}/init', cut, d), nprocs=2, join=True)
            for r in range(2):
                res = torch.load(f'{d}/{r}.pt')
                sl = slice(*res['sl'])
                assert torch.allclose(res['loss'], full.detach(), atol=1e-12)
                assert torch.allclose(res['ga'], a1.grad[sl], atol=1e-12)
                assert torch.allclose(res['gt'], t1.grad[sl], atol=1e-12)

# --- the trainer under DDP -------------------------------------------------------------------------------------------

def _step_setup():
    "A small model (eval mode: no dropout, BatchNorm on running statistics, so one process and two can agree) and a batch."
    from ttmr_nb.train import TrainConfig
    from ttmr_nb.audio import AudioConfig
    from ttmr_nb.model import TTMRModel
    cfg = TrainConfig.preset('cpu', batch_size=4)
    cfg = cfg.replace(model=cfg.model.replace(audio=AudioConfig(clip_seconds=1.0)))
    torch.manual_seed(0); model = TTMRModel(cfg.model).eval()
    wav = 0.1 * torch.randn(4, cfg.model.audio.clip_samples, generator=torch.Generator().manual_seed(1))
    return model, cfg, wav, ['violin, slow', 'flute solo', 'four voices singing', 'a lively reel']

def _ddp_worker(rank, world, init, out):
    from ttmr_nb.train import micro_step
    dist.init_process_group('gloo', init_method=init, rank=rank, world_size=world)
    try:
        model, cfg, wav, texts = _step_setup()
        net = torch.nn.parallel.DistributedDataParallel(model, find_unused_parameters=True)   # as the trainer wraps it
        per = len(texts) // world; sl = slice(rank * per, (rank + 1) * per)
        micro_step(net, model, wav[sl], texts[sl], cfg, torch.device('cpu'), world, last=True)
        torch.save({n: p.grad for n, p in model.named_parameters() if p.grad is not None}, f'{out}/{rank}.pt')
    finally:
        dist.destroy_process_group()

def test_ddp_step_equals_one_process_step():
    "Two processes with half the batch each, after DDP's all-reduce, hold exactly the one-process full-batch gradient."
    from ttmr_nb.train import micro_step
    model, cfg, wav, texts = _step_setup()
    micro_step(model, model, wav, texts, cfg, torch.device('cpu'))
    ref = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}
    with tempfile.TemporaryDirectory() as d:
        mp.spawn(_ddp_worker, args=(2, f'file://{d}/init', d), nprocs=2, join=True)
        for r in range(2):
            got = torch.load(f'{d}/{r}.pt')
            assert sorted(got) == sorted(ref)
            bad = [n for n in ref if not torch.allclose(got[n], ref[n], rtol=1e-4, atol=1e-6)]
            assert not bad, (bad[:5], [(got[n] - ref[n]).abs().max().item() for n in bad[:5]])
    assert 'temperature.log_scale' in ref                                             # τ's gradient was checked too

def test_torchrun_two_processes_train(tmp_path):
    "`torchrun --nproc_per_node 2 ttmr train`: one log, global example counts, a checkpoint."
    import json, shutil, subprocess, sys
    from ttmr_nb.corpus import shared_corpus
    from ttmr_nb.audio import AudioConfig
    from ttmr_nb.train import TrainConfig
    man = shared_corpus(16)
    cfg = TrainConfig.preset('cpu', manifest=str(man), batch_size=4, max_steps=3, warmup_steps=1, log_every=1, ckpt_every=100, num_workers=0)
    cfg = cfg.replace(model=cfg.model.replace(audio=AudioConfig(clip_seconds=2.0)))
    cfg.save(tmp_path / 'cfg.json')
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
                        shutil.which('ttmr'), 'train', '--config', str(tmp_path / 'cfg.json'), '--run-dir', str(tmp_path / 'run')],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = [json.loads(l) for l in (tmp_path / 'run' / 'metrics.jsonl').read_text().splitlines()]
    assert [l['step'] for l in lines] == [1, 2, 3] and [l['examples'] for l in lines] == [4, 8, 12]
    assert (tmp_path / 'run' / 'latest').read_text().strip() == 'step-00000003'
