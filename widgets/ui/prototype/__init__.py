"""Prototype screens: the canvas, the driver diagram, commitment, PDSA cycles and measures."""
