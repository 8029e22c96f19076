"""Benchmark of exact search (issue 21 §3): 1 M × 128 unit vectors, 100 queries, top 10. Prints numbers; asserts nothing.

    python3 tests/bench_exact_search.py [--n 1000000] [--queries 100] [--threads 2]

The floor is the slower of the arithmetic (2·N·D·Q flops at this machine's sgemm rate, measured on 2048² matrices)
and one read of the catalogue (its bytes at the rate a plain sum reads them). Each method is timed best of --repeats
after a warm-up: FAISS `IndexFlatIP.search` (what `MusicIndex` used for exact search), a plain matrix product + top-k,
and `ttmr_nb.search.exact_search` (a matrix product and top-k per block of rows), which `MusicIndex` now uses for a
batch of queries on an exact index (`index_search`).
"""
import argparse, os, time
import numpy as np, torch

def best(f, repeats: int) -> float:
    f(); ts = []
    for _ in range(repeats): t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return min(ts)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=1_000_000); ap.add_argument('--d', type=int, default=128)
    ap.add_argument('--queries', type=int, default=100); ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--threads', type=int, default=os.cpu_count()); ap.add_argument('--repeats', type=int, default=5)
    a = ap.parse_args(argv)
    import faiss
    from ttmr_nb.search import exact_search, faiss_index, index_search, flat_vectors
    torch.set_num_threads(a.threads); faiss.omp_set_num_threads(a.threads)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((a.n, a.d), dtype=np.float32); X /= np.linalg.norm(X, axis=1, keepdims=True)
    Q = rng.standard_normal((a.queries, a.d), dtype=np.float32); Q /= np.linalg.norm(Q, axis=1, keepdims=True)
    Xt, Qt = torch.from_numpy(X), torch.from_numpy(Q)
    c0 = time.process_time(); w0 = time.perf_counter()
    A = torch.randn(2048, 2048); rate = 2 * 2048**3 / best(lambda: A @ A, a.repeats)
    gemm = best(lambda: Qt @ Xt.T, a.repeats); read = best(lambda: Xt.sum(), a.repeats)
    floor = max(2 * a.n * a.d * a.queries / rate, read)
    index = faiss_index(X, 'flat')
    rows = {'exact_search (blocked)': best(lambda: exact_search(X, Q, a.k), a.repeats),
            'index_search (MusicIndex)': best(lambda: index_search(index, Q, a.k), a.repeats),
            'matrix product + top-k': best(lambda: torch.topk(Qt @ Xt.T, a.k, dim=1), a.repeats),
            'FAISS IndexFlatIP.search': best(lambda: index.search(Q, a.k), a.repeats)}   # last: its OpenMP threads linger
    cpu_per_wall = (time.process_time() - c0) / (time.perf_counter() - w0)
    same = np.mean([len(set(u) & set(v)) / a.k for u, v in zip(index.search(Q, a.k)[1], index_search(index, Q, a.k)[1])])
    print(f'{a.n:,} × {a.d}, {a.queries} queries, top {a.k}, {a.threads} threads (CPU/wall {cpu_per_wall:.2f})')
    print(f'floor {floor*1e3:.0f} ms: sgemm at {rate/1e9:.0f} GFLOP/s; one read {read*1e3:.0f} ms ({X.nbytes/read/1e9:.1f} GB/s); '
          f'the product Q·Xᵀ alone {gemm*1e3:.0f} ms ({2*a.n*a.d*a.queries/gemm/1e9:.0f} GFLOP/s)')
    for name, t in rows.items(): print(f'{name:28s} {t*1e3:7.0f} ms  {t/floor:4.2f}× the floor')
    print(f'top-{a.k} agreement with FAISS: {same:.4f}')

if __name__ == '__main__': main()
