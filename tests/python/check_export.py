"""Checks resources/python/latentlab_models.py against LatentLab (tests/model/tst_interop.cpp).

Usage: check_export.py MODEL.pth EXPECTED.pt
EXPECTED.pt (written by LatentLab with torch::pickle_save) holds codes, labels, the images
LatentLab decoded from them, and images with the codes LatentLab encoded them to. Prints the
largest differences and exits 1 when one is 1e-5 or more.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "resources", "python"))
import latentlab_models  # noqa: E402

model = latentlab_models.load(sys.argv[1])
expected = torch.load(sys.argv[2])
decoded = model.decode(expected["codes"], expected["labels"])
encoded = model.encode(expected["inputs"])
decode_error = (decoded - expected["images"]).abs().max().item()
encode_error = (encoded - expected["encoded"]).abs().max().item()
print(f"{model.kind} {model.arch}: largest difference decode {decode_error:.3g}, "
      f"encode {encode_error:.3g}")
sys.exit(0 if decode_error < 1e-5 and encode_error < 1e-5 else 1)
