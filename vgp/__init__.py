"""vgp: the vanishing gradient problem, computed.

Small NumPy/torch modules, one idea each, that back every number and figure on the site.
"""

__version__ = "0.1.0"
