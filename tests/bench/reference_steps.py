"""The Python reference for `latentlab-cli bench` (docs/BENCHMARKS.md).

The same networks, phases, losses and optimisers as LatentLab's training steps
(model/train/trainsteps.cpp) in plain PyTorch, on the same random 1x28x28 data, timed the same
way: three warm-up steps, then the median of --steps steps that each read their losses back
(one copy to the host a step), then the rate of a run that reads them every 10 steps.

    python3 tests/bench/reference_steps.py --model aae --hidden 1000 --batch 100 --steps 50
    python3 tests/bench/reference_steps.py --model acai --batch 64 --device cuda --compile

--model aae: the paper-size MLP AAE (reconstruction, then the discriminator on prior samples
against codes, then the encoder as generator). --model acai: ACAI with the convolutional
networks of `--arch conv` (the critic predicts the mixing coefficient). --compile runs the step
through torch.compile(mode="reduce-overhead") (CUDA graphs of the compiled regions), where the
PyTorch at hand has it.

Run it with the python3 whose torch shares LatentLab's LibTorch (Debian's python3-torch on
Debian's libtorch), on the same device, in the same run (packaging/bench.sh does).
"""

import argparse
import statistics
import sys
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
    return nn.Sequential(nn.Flatten(), *layers)


def conv3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


def conv_encoder(cin, depth, scales, cout):
    """LatentLab's ConvEncoder: per scale two 3x3 convolutions and a 2x average pool."""
    layers, ch = [], cin
    for s in range(scales):
        width = depth << s
        layers += [conv3(ch, width), nn.LeakyReLU(0.2), conv3(width, width), nn.LeakyReLU(0.2),
                   nn.AvgPool2d(2)]
        ch = width
    layers += [conv3(ch, depth << scales), nn.LeakyReLU(0.2), conv3(depth << scales, cout),
               nn.Flatten()]
    return nn.Sequential(*layers)


def conv_decoder(cin, depth, scales, cout):
    """LatentLab's ConvDecoder: per scale two 3x3 convolutions and a 2x nearest upsampling."""
    layers, ch = [], cin
    for s in reversed(range(scales)):
        width = depth << s
        layers += [conv3(ch, width), nn.LeakyReLU(0.2), conv3(width, width), nn.LeakyReLU(0.2),
                   nn.Upsample(scale_factor=2, mode="nearest")]
        ch = width
    layers += [conv3(ch, depth), nn.LeakyReLU(0.2), conv3(depth, cout)]
    return nn.Sequential(*layers)


def aae_step(args, device):
    h, d = args.hidden, args.latent
    encoder = mlp([28 * 28, h, h, d]).to(device)
    decoder = mlp([d, h, h, 28 * 28]).to(device)
    discriminator = mlp([d, h, h, 1]).to(device)
    recon_opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), 1e-3)
    disc_opt = torch.optim.Adam(discriminator.parameters(), 6e-4, betas=(0.5, 0.999))
    gen_opt = torch.optim.Adam(encoder.parameters(), 6e-4, betas=(0.5, 0.999))

    def step(x):
        # Phase 1: reconstruction.
        recon_opt.zero_grad()
        logits = decoder(encoder(x)).view_as(x)
        recon = F.binary_cross_entropy_with_logits(logits, x)
        recon.backward()
        recon_opt.step()
        # Phase 2: the discriminator on prior samples against codes, then the encoder.
        codes = encoder(x)
        positive = torch.randn(x.shape[0], d, device=x.device)
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
        return torch.stack([recon.detach(), disc.detach(), gen.detach()])

    return step, f"aae, MLP hidden {h}"


def acai_step(args, device):
    depth, scales, maps = args.conv_depth, args.conv_scales, args.latent_channels
    side = 28 >> scales
    encoder = conv_encoder(1, depth, scales, maps).to(device)
    decoder = conv_decoder(maps, depth, scales, 1).to(device)
    critic = conv_encoder(1, depth, scales, maps).to(device)
    ae_opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), 1e-4)
    critic_opt = torch.optim.Adam(critic.parameters(), 1e-4)
    lam, gamma = 0.5 / 4, 0.2  # lambda / 4 for the squared error on [0, 1] pixels, as LatentLab

    def step(x):
        n = x.shape[0]
        u = torch.rand(n, 1, device=x.device)
        alpha = 0.5 - (u - 0.5).abs()
        ae_opt.zero_grad()
        code = encoder(x)
        out = decoder(code.view(n, maps, side, side))
        recon = F.mse_loss(out, x)
        mixed = alpha * code + (1 - alpha) * code.flip(0)
        mixed_images = decoder(mixed.view(n, maps, side, side))
        ae_critic = critic(mixed_images).mean(1).pow(2).mean()
        (recon + lam * ae_critic).backward()
        ae_opt.step()
        critic_opt.zero_grad()
        loss = ((critic(mixed_images.detach()).mean(1) - alpha.squeeze(1)).pow(2).mean() +
                critic(gamma * x + (1 - gamma) * out.detach()).mean(1).pow(2).mean())
        loss.backward()
        critic_opt.step()
        return torch.stack([recon.detach(), ae_critic.detach(), loss.detach()])

    return step, f"acai, conv depth {depth}, {scales} scales"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["aae", "acai"], default="aae")
    parser.add_argument("--hidden", type=int, default=1000)
    parser.add_argument("--latent", type=int, default=2)
    parser.add_argument("--conv-depth", type=int, default=16)
    parser.add_argument("--conv-scales", type=int, default=2)
    parser.add_argument("--latent-channels", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="LibTorch threads (0: default)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--compile", action="store_true",
                        help='torch.compile(mode="reduce-overhead") around the step')
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.compile and not hasattr(torch, "compile"):
        print(f"python {torch.__version__}: this PyTorch has no torch.compile", file=sys.stderr)
        return 3
    device = torch.device(args.device)
    torch.manual_seed(0)

    n = max(1000, 4 * args.batch)
    data = torch.rand(n, 1, 28, 28, device=device)
    make = aae_step if args.model == "aae" else acai_step
    step, what = make(args, device)
    mark_step = lambda: None  # noqa: E731
    if args.compile:
        step = torch.compile(step, mode="reduce-overhead")
        # A compiled step's CUDA graphs reuse their outputs' memory: each step says it begins.
        mark_step = getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin",
                            mark_step)

    def run():
        # The minibatch drawn on the host, as LatentLab draws it.
        idx = torch.randperm(n)[:args.batch]
        x = data.index_select(0, idx.to(device, non_blocking=True))
        mark_step()
        return step(x)

    for _ in range(3):
        run().cpu()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        run().cpu()  # the losses read back: waits for the device
        times.append((time.perf_counter() - start) * 1000)
    # Throughput: losses read every 10 steps.
    every = 10
    count = max(every, (args.steps + every - 1) // every * every)
    start = time.perf_counter()
    for i in range(count):
        losses = run()
        if (i + 1) % every == 0:
            losses = losses.clone().cpu()
    seconds = time.perf_counter() - start
    mode = "compiled (reduce-overhead)" if args.compile else "eager"
    print(f"python {torch.__version__} {mode}, {what}, batch {args.batch}, "
          f"{torch.get_num_threads()} LibTorch threads, {device}: train step median "
          f"{statistics.median(times):.3f} ms over {args.steps} steps; "
          f"losses read every {every}: {count / seconds:.1f} steps/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
