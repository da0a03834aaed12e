"""Theme palettes and the app stylesheet (installed as desk.themes); read with importlib.resources."""
