"""Marketplace configs: one YAML file per marketplace, validated into typed models.

A marketplace is data, not code. Every mistake in a config is reported as one
``ConfigError`` naming the file, the line and the problem. The models are in
``models``, reading and checking a file in ``loading``; the field names a config may
select come from the listing schema (``crawler.store.schema``).
"""

from crawler.config.channels import channel_of
from crawler.config.loading import (
    available_marketplaces,
    config_path,
    error_line,
    load_config,
    load_marketplace,
    load_yaml,
    parse_config,
    validation_error,
)
from crawler.config.models import (
    API_SEARCH_PLACEHOLDERS,
    FIELD_NAMES,
    ApiDetailSpec,
    ApiSearchSpec,
    ApiSpec,
    BrowserSpec,
    DetailSpec,
    FieldSpec,
    JsonMatcher,
    JsonSource,
    ListingsSpec,
    MarketplaceConfig,
    PageMatcher,
    Politeness,
    SearchSpec,
    render_problem,
)
from crawler.paths import MARKETPLACES_DIR

__all__ = [
    "API_SEARCH_PLACEHOLDERS",
    "FIELD_NAMES",
    "MARKETPLACES_DIR",
    "ApiDetailSpec",
    "ApiSearchSpec",
    "ApiSpec",
    "BrowserSpec",
    "DetailSpec",
    "FieldSpec",
    "JsonMatcher",
    "JsonSource",
    "ListingsSpec",
    "MarketplaceConfig",
    "PageMatcher",
    "Politeness",
    "SearchSpec",
    "available_marketplaces",
    "channel_of",
    "config_path",
    "error_line",
    "load_config",
    "load_marketplace",
    "load_yaml",
    "parse_config",
    "render_problem",
    "validation_error",
]
