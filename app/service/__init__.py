"""The HTTP service: Flask blueprints around the briefing engine and the model stage."""
