"""The Python reference for `latentlab-cli bench --model aae` (docs/BENCHMARKS.md).

The same networks, phases, losses and optimisers as LatentLab's AAE step (model/train/
trainsteps.cpp, Trainer::stepAae) in plain PyTorch, on the same random 1x28x28 data, timed the
same way: three warm-up steps, then the median of --steps steps.

    python3 tests/bench/reference_aae.py --hidden 1000 --batch 100 --steps 50 [--threads N]

Run it with the python3 whose torch shares LatentLab's LibTorch (Debian's python3-torch on
Debian's libtorch), on the same device, in the same run (packaging/bench.sh does).
"""

import argparse
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=1000)
    parser.add_argument("--latent", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="LibTorch threads (0: default)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(0)

    h, d, pixels = args.hidden, args.latent, 28 * 28
    encoder = mlp([pixels, h, h, d]).to(device)
    decoder = mlp([d, h, h, pixels]).to(device)
    discriminator = mlp([d, h, h, 1]).to(device)
    recon_opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), 1e-3)
    disc_opt = torch.optim.Adam(discriminator.parameters(), 6e-4)
    gen_opt = torch.optim.Adam(encoder.parameters(), 6e-4)

    n = max(1000, 4 * args.batch)
    data = torch.rand(n, 1, 28, 28, device=device)

    def step():
        idx = torch.randint(n, (args.batch,))
        x = data.index_select(0, idx.to(device))
        # Phase 1: reconstruction.
        recon_opt.zero_grad()
        logits = decoder(encoder(x.flatten(1))).view_as(x)
        recon = F.binary_cross_entropy_with_logits(logits, x)
        recon.backward()
        recon_opt.step()
        # Phase 2: the discriminator on prior samples against codes, then the encoder.
        codes = encoder(x.flatten(1))
        positive = torch.randn(args.batch, d, device=device)
        disc_opt.zero_grad()
        real = discriminator(positive)
        fake = discriminator(codes.detach())
        disc = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real)) +
                F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
        disc.backward()
        disc_opt.step()
        gen_opt.zero_grad()
        fooled = discriminator(codes)
        gen = F.binary_cross_entropy_with_logits(fooled, torch.ones_like(fooled))
        gen.backward()
        gen_opt.step()
        return recon.item(), disc.item(), gen.item()

    for _ in range(3):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append((time.perf_counter() - start) * 1000)
    print(f"python {torch.__version__} eager, hidden {h}, batch {args.batch}, "
          f"{torch.get_num_threads()} LibTorch threads: train step median "
          f"{statistics.median(times):.2f} ms over {args.steps} steps")


if __name__ == "__main__":
    main()
