"""Text handling shared by alignment, garbling and the pipeline: Unicode and whitespace
normalisation, boilerplate tagging and sentence segmentation with character offsets."""
