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
