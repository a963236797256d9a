#!/usr/bin/env python3
"""Writes the weight files the interop tests read, with the Python standard library only (no torch, no PyBridge), so
that the C# readers are checked against files from an independent writer.

  tiny.pt           what torch.save(model.state_dict(), "tiny.pt") writes for the tests' TinyBatchNormNet: a zip
                    archive (entries stored, as torch.save stores them) holding data.pkl, version, byteorder and one
                    raw little-endian storage per tensor; data.pkl is a protocol-2 pickle of an OrderedDict (with its
                    _metadata attribute) whose tensors are torch._utils._rebuild_tensor_v2(storage, offset, size,
                    stride, requires_grad, OrderedDict()) with persistent ids ('storage', torch.FloatStorage, key,
                    'cpu', numel), as torch/serialization.py pickles them. bn1.num_batches_tracked is an int64 scalar.
  checkpoint.pt     a training checkpoint: {"epoch": 3, "model": <the state_dict above with every name prefixed
                    "module.">}.
  tiny.safetensors  the same values in Hugging Face's safetensors layout: u64 header length, JSON header padded with
                    spaces to a multiple of 8 (as the reference writer pads it), data; fc1.weight stored as F64 and
                    bn1.bias as F16 (values exactly representable), the rest F32; a __metadata__ entry.

Values: element k of the j-th tensor (in TENSORS order) is (j + 1) + k / 64, exact in float16, float32 and float64.
Run from this folder: python3 make_fixtures.py
"""
import collections
import json
import pickle
import struct
import sys
import types
import zipfile

# name, shape (TinyBatchNormNet: fc1 4 -> 3, batch norm, fc2 3 -> 2)
TENSORS = [
    ("fc1.weight", (3, 4)),
    ("fc1.bias", (3,)),
    ("bn1.weight", (3,)),
    ("bn1.bias", (3,)),
    ("bn1.running_mean", (3,)),
    ("bn1.running_var", (3,)),
    ("fc2.weight", (2, 3)),
    ("fc2.bias", (2,)),
]
NUM_BATCHES_TRACKED = 7


def values(j, shape):
    n = 1
    for d in shape:
        n *= d
    return [(j + 1) + k / 64 for k in range(n)]


def strides(shape):
    out, s = [], 1
    for d in reversed(shape):
        out.append(s)
        s *= d
    return tuple(reversed(out))


# --- stand-ins for the torch objects that torch.save pickles, under torch's own module names ---
torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _rebuild_tensor_v2(*args):  # never called: only its name is pickled
    raise NotImplementedError


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2


def storage_class(name):
    cls = type(name, (), {})
    cls.__module__ = "torch"
    setattr(torch, name, cls)
    return cls


FloatStorage = storage_class("FloatStorage")
LongStorage = storage_class("LongStorage")


class Storage:
    def __init__(self, kind, key, data, numel):
        self.kind, self.key, self.data, self.numel = kind, key, data, numel


class Tensor:
    def __init__(self, storage, shape):
        self.storage, self.shape = storage, shape

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, 0, self.shape, strides(self.shape), False, collections.OrderedDict()))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.kind, obj.key, "cpu", obj.numel)
        return None


def state_dict(prefix=""):
    storages, sd = [], collections.OrderedDict()
    for j, (name, shape) in enumerate(TENSORS):
        v = values(j, shape)
        s = Storage(FloatStorage, str(len(storages)), struct.pack("<%df" % len(v), *v), len(v))
        storages.append(s)
        sd[prefix + name] = Tensor(s, shape)
        if name == "bn1.running_var":
            s = Storage(LongStorage, str(len(storages)), struct.pack("<q", NUM_BATCHES_TRACKED), 1)
            storages.append(s)
            sd[prefix + "bn1.num_batches_tracked"] = Tensor(s, ())
    # nn.Module.state_dict() sets _metadata: {module prefix: {"version": n}}
    sd._metadata = collections.OrderedDict(
        [("", {"version": 1}), (prefix + "fc1", {"version": 1}), (prefix + "bn1", {"version": 2}), (prefix + "fc2", {"version": 1})])
    return sd, storages


def torch_save(obj, storages, path, archive="archive"):
    import io
    buffer = io.BytesIO()
    TorchPickler(buffer, protocol=2).dump(obj)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in [("data.pkl", buffer.getvalue()), ("byteorder", b"little")] + \
                          [("data/" + s.key, s.data) for s in storages] + \
                          [("version", b"3\n"), (".data/serialization_id", b"0123456789012345678901234567890123456789")]:
            info = zipfile.ZipInfo(archive + "/" + name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)


def safetensors_save(path):
    entries, data = {}, bytearray()
    kinds = {"fc1.weight": ("F64", "<%dd"), "bn1.bias": ("F16", "<%de")}
    for j, (name, shape) in enumerate(TENSORS):
        v = values(j, shape)
        dtype, fmt = kinds.get(name, ("F32", "<%df"))
        raw = struct.pack(fmt % len(v), *v)
        entries[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header = {"__metadata__": {"format": "pt"}}
    header.update(entries)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))


if __name__ == "__main__":
    sd, storages = state_dict()
    torch_save(sd, storages, "tiny.pt")
    wrapped, storages = state_dict("module.")
    torch_save({"epoch": 3, "model": wrapped}, storages, "checkpoint.pt")
    safetensors_save("tiny.safetensors")
    print("wrote tiny.pt, checkpoint.pt, tiny.safetensors")
