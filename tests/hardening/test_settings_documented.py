"""Every setting says what it is for, and every limit of issue 9 is in SECURITY.md with its default."""

from __future__ import annotations

from pathlib import Path

from econ.config import Settings

ROOT = Path(__file__).resolve().parents[2]
HARDENING = ["max_file_mb", "max_xlsx_uncompressed_mb", "max_xlsx_ratio", "max_rows", "max_columns", "max_cell_chars",
             "plausible_ranges_file", "max_request_kb", "max_upload_mb", "max_json_depth", "rate_limit_signin",
             "rate_limit_writes", "redis_url", "session_hours", "trusted_proxies", "serve_workers", "serve_threads", "serve_host",
             "serve_port", "min_free_mb"]


def test_every_setting_has_a_description():
    missing = [name for name, field in Settings.model_fields.items() if not (field.description or "").strip()]
    assert missing == []


def test_every_hardening_setting_is_in_security_md_with_its_default():
    text = (ROOT / "SECURITY.md").read_text()
    for name in HARDENING:
        assert f"`ECON_{name.upper()}`" in text, name
        default = Settings.model_fields[name].default
        if default is not None:
            shown = f"{default:g}" if isinstance(default, float) else str(default)
            assert f"`{shown}`" in text, (name, shown)


def test_every_setting_is_documented_in_readme_or_security_md():
    """README's configuration table (or SECURITY.md, for the limits) names every ECON_ variable."""
    text = (ROOT / "README.md").read_text() + (ROOT / "SECURITY.md").read_text()
    assert [name for name in Settings.model_fields if f"`ECON_{name.upper()}`" not in text] == []


def test_the_log_settings_are_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    for name in ("log_level", "log_file", "log_format"):
        assert f"| `ECON_{name.upper()}` |" in readme, name
