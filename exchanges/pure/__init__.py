"""Pure helpers: no database, no models, nothing else of ours imported.

Everything above (models, selectors, services, views) may use them.
"""
