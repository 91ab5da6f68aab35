"""The Vietnamese text pipeline: normalization with offset maps, segmentation, language."""
