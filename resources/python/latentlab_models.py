"""LatentLab models in PyTorch.

Rebuilds the networks of a model trained by LatentLab from the file that
``latentlab-cli export --checkpoint model.pt --out model.pth`` writes, so that
``encode`` and ``decode`` give in Python what they give in LatentLab::

    import torch, latentlab_models
    model = latentlab_models.load("model.pth")
    images = model.decode(torch.tensor([[0.0, 1.5]]))   # [1, C, H, W] in [0, 1]
    codes = model.encode(images)                         # [1, code size]

Needs nothing but torch. The layouts mirror model/nets/ of LatentLab: the names of the
sub-modules are the keys of the exported ``state_dict``.
"""

import json

import torch
from torch import nn

FORMAT = "latentlab-python"
VERSION = 1

_GAUSSIAN = {"aae-gaussian", "vae"}
_ADVERSARIAL = {"aae", "aae-gaussian", "aae-universal", "aae-supervised", "aae-semi",
                "aae-cluster"}


class Mlp(nn.Module):
    """Linear layers with ReLU between them and nothing after the last; flattens its input."""

    def __init__(self, sizes):
        super().__init__()
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                layers.append(nn.ReLU())
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x.flatten(1))


def _conv3(cin, cout):
    return nn.Conv2d(cin, cout, 3, padding=1)


def _leaky():
    return nn.LeakyReLU(0.2)


class ConvEncoder(nn.Module):
    """The ACAI paper's encoder: per level two 3x3 convolutions and 2x2 average pooling."""

    def __init__(self, in_channels, depth, scales, out_channels):
        super().__init__()
        layers, channels = [], in_channels
        for s in range(scales):
            width = depth << s
            layers += [_conv3(channels, width), _leaky(), _conv3(width, width), _leaky(),
                       nn.AvgPool2d(2)]
            channels = width
        layers += [_conv3(channels, depth << scales), _leaky(),
                   _conv3(depth << scales, out_channels)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x).flatten(1)


class ConvDecoder(nn.Module):
    """The encoder's mirror with nearest-neighbour upsampling; extra inputs join as channels."""

    def __init__(self, latent_channels, extra, depth, scales, out_channels, latent_h, latent_w):
        super().__init__()
        self.latent_channels, self.extra = latent_channels, extra
        self.latent_h, self.latent_w = latent_h, latent_w
        layers, channels = [], latent_channels + extra
        for s in range(scales - 1, -1, -1):
            width = depth << s
            layers += [_conv3(channels, width), _leaky(), _conv3(width, width), _leaky(),
                       nn.Upsample(scale_factor=2.0, mode="nearest")]
            channels = width
        layers += [_conv3(channels, depth), _leaky(), _conv3(depth, out_channels)]
        self.layers = nn.Sequential(*layers)

    def forward(self, code, extra=None):
        maps = code.view(code.size(0), self.latent_channels, self.latent_h, self.latent_w)
        if self.extra > 0:
            if extra is None or extra.size(1) != self.extra:
                raise ValueError(f"the decoder expects {self.extra} extra inputs per item")
            maps = torch.cat([maps, extra.view(extra.size(0), self.extra, 1, 1).expand(
                -1, -1, self.latent_h, self.latent_w)], 1)
        return self.layers(maps)


class LatentLabModel(nn.Module):
    """One LatentLab model: encoder, decoder and, where the kind has them, the discriminators
    or the ACAI critic. ``config`` is the configuration dict LatentLab stores (the keys of its
    config.json)."""

    def __init__(self, config):
        super().__init__()
        self.config = dict(config)
        c = self.config
        kind, arch = c["model"], c["arch"]
        self.kind, self.arch = kind, arch
        self.categories = {"aae-semi": c["num_classes"], "aae-cluster": c["clusters"]}.get(kind, 0)
        self.gaussian = kind in _GAUSSIAN
        self.universal = kind == "aae-universal"
        self.supervised = kind == "aae-supervised"
        self.linear_output = bool(c["linear_output"])
        self.image_shape = (c["channels"], c["height"], c["width"])
        pixels = c["channels"] * c["height"] * c["width"]
        labels = c["num_classes"] if self.supervised else 0
        noise = c["noise_dim"] if self.universal else 0
        if arch == "mlp":
            self.code_size = c["latent"] + self.categories
            outputs = 2 * self.code_size if self.gaussian else self.code_size
            self.encoder = Mlp([pixels + noise, c["hidden"], c["hidden"], outputs])
            self.decoder = Mlp([self.code_size + labels, c["hidden"], c["hidden"], pixels])
        elif arch == "conv":
            factor = 1 << c["conv_scales"]
            h, w = c["height"] // factor, c["width"] // factor
            self.code_size = c["latent_channels"] * h * w
            maps = 2 * c["latent_channels"] if self.gaussian else c["latent_channels"]
            self.encoder = ConvEncoder(c["channels"] + noise, c["conv_depth"], c["conv_scales"],
                                       maps)
            self.decoder = ConvDecoder(c["latent_channels"], labels, c["conv_depth"],
                                       c["conv_scales"], c["channels"], h, w)
        else:
            raise ValueError(f"unknown architecture {arch!r}")
        if kind == "acai":
            self.critic = (Mlp([pixels, c["hidden"], c["hidden"], 1]) if arch == "mlp" else
                           ConvEncoder(c["channels"], c["conv_depth"], c["conv_scales"],
                                       c["latent_channels"]))
        if kind in _ADVERSARIAL:
            prior_size = c["latent"] if self.categories else self.code_size
            condition = c["num_classes"] + 1 if c["label_conditioned"] else 0
            self.discriminator = Mlp([prior_size + condition, c["disc_hidden"],
                                      c["disc_hidden"], 1])
        if self.categories:
            self.category_discriminator = Mlp([self.categories, c["disc_hidden"],
                                               c["disc_hidden"], 1])

    @torch.no_grad()
    def encode(self, images):
        """Images [N, C, H, W] in [0, 1] -> codes [N, D], deterministically: the Gaussian
        posterior gives its mean, the universal approximator gets zero noise, and the
        categorical AAEs give [style z | softmax(y)]."""
        x = images
        n = x.size(0)
        if self.universal:
            noise = torch.zeros(n, self.config["noise_dim"], dtype=x.dtype, device=x.device)
            if self.arch == "mlp":
                x = torch.cat([x.flatten(1), noise], 1)
            else:
                x = torch.cat([x, noise.view(n, -1, 1, 1).expand(-1, -1, *x.shape[2:])], 1)
        out = self.encoder(x)
        if self.categories:
            style = out[:, :self.config["latent"]]
            logits = out[:, self.config["latent"]:self.config["latent"] + self.categories]
            return torch.cat([style, torch.softmax(logits, 1)], 1)
        if not self.gaussian:
            return out
        if self.arch == "mlp":
            return out[:, :self.code_size]
        return out.view(n, 2, -1)[:, 0]

    @torch.no_grad()
    def decode_raw(self, codes, labels=None):
        """The decoder's raw output: logits, or pixel values for models with a linear output."""
        extra = None
        if self.supervised:
            if labels is None:
                raise ValueError("the supervised AAE decodes a code together with a label")
            k = self.config["num_classes"]
            extra = nn.functional.one_hot(labels.long().clamp(0, k - 1), k).to(codes.dtype)
        if self.arch == "mlp":
            x = codes if extra is None else torch.cat([codes, extra], 1)
            return self.decoder(x).view(codes.size(0), *self.image_shape)
        return self.decoder(codes, extra)

    @torch.no_grad()
    def decode(self, codes, labels=None):
        """Codes [N, D] -> images [N, C, H, W] in [0, 1] (labels: the supervised AAE's)."""
        raw = self.decode_raw(codes, labels)
        return raw.clamp(0, 1) if self.linear_output else torch.sigmoid(raw)


def load(path, map_location="cpu"):
    """Reads a file written by ``latentlab-cli export`` and returns the model, in eval mode."""
    blob = torch.load(path, map_location=map_location)
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise ValueError(f"{path}: not a LatentLab export (write one with latentlab-cli export)")
    if blob.get("version", 0) > VERSION:
        raise ValueError(f"{path}: written by a newer LatentLab (export version "
                         f"{blob['version']}); update latentlab_models.py")
    model = LatentLabModel(json.loads(blob["config"]))
    model.load_state_dict(blob["state_dict"])
    model.step = int(blob.get("step", 0))
    return model.eval()
