"""Makes TorchScript models for LatentLab's tests of opening models from Python.

Usage: make_torchscript.py OUT_DIR

Defines a small adversarial autoencoder in PyTorch, trains it for a few steps on random
32x32 images (the AAE paper's three phases: reconstruction, discriminator, generator) and
writes into OUT_DIR:
  aae.ts           torch.jit.script of it: decode gives logits, a mixture10 prior is named
  traced.ts        its encoder and decoder traced with torch.jit.trace, in a scripted wrapper
                   that carries the attributes; decode gives pixels
  expected.pt      torch.save of what Python computes: inputs, and for each model the codes of
                   the inputs, and the pixels of `codes` (random codes) decoded
  no_decode.ts     a module with encode only
  wrong_shape.ts   decode returns flat rows instead of [N, C, H, W]
  probe_only.ts    encode works for two items only: passes the probe, fails on real data
  state_dict.pt    torch.save of a state_dict, not TorchScript
The C++ side (tests/model/tst_interop.cpp, tests/ui/tst_scripted.cpp, tests/app/tst_cli.cpp)
checks that LatentLab encodes and decodes alike to 1e-5 and names what is wrong with the rest.
"""
import os
import sys
from typing import List

import torch
from torch import nn

SIDE = 32
PIXELS = SIDE * SIDE
LATENT = 2


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class SmallAae(nn.Module):
    # The attributes LatentLab reads (docs/INTEROP.md); annotated so TorchScript keeps them.
    latent_dim: int
    image_shape: List[int]
    prior: str
    decode_output: str

    def __init__(self):
        super().__init__()
        self.latent_dim = LATENT
        self.image_shape = [1, SIDE, SIDE]
        self.prior = "mixture10"
        self.decode_output = "logits"
        self.encoder = mlp([PIXELS, 64, 64, LATENT])
        self.decoder = mlp([LATENT, 64, 64, PIXELS])

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        c, h, w = self.image_shape[0], self.image_shape[1], self.image_shape[2]
        return self.decoder(z).view(-1, c, h, w)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


class TracedWrapper(nn.Module):
    """A traced encoder and decoder (torch.jit.trace keeps no attributes) in a scripted module
    that has them."""

    latent_dim: int
    image_shape: List[int]

    def __init__(self, encoder, decoder):
        super().__init__()
        self.latent_dim = LATENT
        self.image_shape = [1, SIDE, SIDE]
        self.encoder = encoder
        self.decoder = decoder

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)


class PixelDecoder(nn.Module):
    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # traced: SIDE is a Python constant
        return torch.sigmoid(self.decoder(z)).view(-1, 1, SIDE, SIDE)


class FlatEncoder(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))


class NoDecode(nn.Module):
    latent_dim: int
    image_shape: List[int]

    def __init__(self):
        super().__init__()
        self.latent_dim = LATENT
        self.image_shape = [1, SIDE, SIDE]
        self.encoder = mlp([PIXELS, LATENT])

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encode(x)


class WrongShape(SmallAae):
    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # [N, 1024]: not an image batch


class ProbeOnly(SmallAae):
    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.reshape(2, -1))  # right for two items only: passes the probe


def mixture_samples(n, generator):
    # Ten Gaussians on a circle, as LatentLab's mixture10 (only to train against; the test
    # compares encode and decode, not the prior).
    k = torch.randint(0, 10, (n,), generator=generator)
    angle = k.float() * (2 * torch.pi / 10)
    centres = torch.stack([torch.cos(angle), torch.sin(angle)], 1) * 4
    return centres + 0.5 * torch.randn(n, 2, generator=generator)


def train(model, steps=5):
    generator = torch.Generator().manual_seed(3)
    discriminator = mlp([LATENT, 32, 32, 1])
    reconstruction = torch.optim.Adam(
        list(model.encoder.parameters()) + list(model.decoder.parameters()), lr=1e-3)
    disc = torch.optim.Adam(discriminator.parameters(), lr=6e-4, betas=(0.5, 0.999))
    gen = torch.optim.Adam(model.encoder.parameters(), lr=6e-4, betas=(0.5, 0.999))
    bce = nn.functional.binary_cross_entropy_with_logits
    for _ in range(steps):
        x = torch.rand(16, 1, SIDE, SIDE, generator=generator)
        reconstruction.zero_grad()
        bce(model(x), x).backward()
        reconstruction.step()
        disc.zero_grad()
        real = discriminator(mixture_samples(16, generator))
        fake = discriminator(model.encode(x).detach())
        (bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))).backward()
        disc.step()
        gen.zero_grad()
        fooled = discriminator(model.encode(x))
        bce(fooled, torch.ones_like(fooled)).backward()
        gen.step()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1)
    model = SmallAae()
    train(model)
    model.eval()
    scripted = torch.jit.script(model)
    scripted.save(os.path.join(out, "aae.ts"))

    example = torch.rand(4, 1, SIDE, SIDE)
    traced = TracedWrapper(
        torch.jit.trace(FlatEncoder(model.encoder), example),
        torch.jit.trace(PixelDecoder(model.decoder), torch.randn(4, LATENT)))
    traced_script = torch.jit.script(traced)
    traced_script.save(os.path.join(out, "traced.ts"))

    generator = torch.Generator().manual_seed(5)
    inputs = torch.rand(6, 1, SIDE, SIDE, generator=generator)
    codes = 2 * torch.randn(6, LATENT, generator=generator)
    with torch.no_grad():
        expected = {
            "inputs": inputs,
            "codes": codes,
            "aae_encoded": scripted.encode(inputs),
            "aae_decoded": torch.sigmoid(scripted.decode(codes)),  # decode_output "logits"
            "traced_encoded": traced_script.encode(inputs),
            "traced_decoded": traced_script.decode(codes),
        }
    torch.save(expected, os.path.join(out, "expected.pt"))

    torch.jit.script(NoDecode()).save(os.path.join(out, "no_decode.ts"))
    torch.jit.script(WrongShape()).save(os.path.join(out, "wrong_shape.ts"))
    torch.jit.script(ProbeOnly()).save(os.path.join(out, "probe_only.ts"))
    torch.save(model.state_dict(), os.path.join(out, "state_dict.pt"))
    print(f"wrote aae.ts, traced.ts, expected.pt, no_decode.ts, wrong_shape.ts, "
          f"probe_only.ts, state_dict.pt to {out}")


if __name__ == "__main__":
    main()
