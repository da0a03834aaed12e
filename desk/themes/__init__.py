"""Theme palettes and the app stylesheet (installed as desk.themes).

Files here are read with importlib.resources, never by path.
"""
