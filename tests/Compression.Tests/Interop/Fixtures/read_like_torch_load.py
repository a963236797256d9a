#!/usr/bin/env python3
"""A manual check, with the Python standard library only (no torch): reads a .pt file the way
torch.load(path, weights_only=True) does -- the zip archive's data.pkl unpickled with only the globals torch's
weights-only unpickler allows for a state_dict (torch._utils._rebuild_tensor_v2, collections.OrderedDict, torch.*Storage),
tensors rebuilt from the archive's storages by their persistent ids -- and prints every tensor's name, shape and first
values. Used on the package's exports (WeightsFile.Export, `Experiments decompress --out x.pt`):
    python3 read_like_torch_load.py decoded.pt
"""
import pickle, struct, sys, zipfile, collections
path = sys.argv[1]
z = zipfile.ZipFile(path)
names = z.namelist()
pkl = [n for n in names if n.endswith("data.pkl")][0]
prefix = pkl[: -len("data.pkl")]
sizes = {"FloatStorage": ("f", 4), "LongStorage": ("q", 8), "DoubleStorage": ("d", 8)}
class StorageType:
    def __init__(self, name): self.name = name
def rebuild(storage, offset, size, stride, requires_grad, hooks, *rest):
    fmt, width = sizes[storage[0]]
    n = 1
    for d in size: n *= d
    return (tuple(size), storage[1][offset:offset + n])
ALLOWED = {("torch._utils", "_rebuild_tensor_v2"): rebuild, ("collections", "OrderedDict"): collections.OrderedDict}
class U(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in ALLOWED: return ALLOWED[(module, name)]
        if module == "torch" and name in sizes: return StorageType(name)
        raise pickle.UnpicklingError(f"not allowed by weights_only: {module}.{name}")
    def persistent_load(self, pid):
        kind, storage_type, key, location, numel = pid
        assert kind == "storage" and location == "cpu"
        fmt, width = sizes[storage_type.name]
        raw = z.read(prefix + "data/" + key)
        assert len(raw) == numel * width, (key, len(raw), numel)
        return (storage_type.name, struct.unpack("<%d%s" % (numel, fmt), raw))
sd = U(z.open(pkl)).load()
print(type(sd).__name__, "entries:", [n for n in names])
for k, (shape, values) in sd.items():
    print(k, shape, len(values), "first", values[:3])
