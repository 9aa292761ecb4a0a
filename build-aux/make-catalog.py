#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes src/engine/babybuddy-catalog.json, the engine's catalog of Baby Buddy's
models, from the facts in ../shared/babybuddy/babybuddy-models.json (see MODELS.md).

Only what the database cannot tell is kept: Django field types, model labels,
dumpdata field order, many-to-many fields, natural keys, and the release table
that turns the latest applied migrations into a Baby Buddy version.
Run by hand when a new Baby Buddy release changes its models:
    build-aux/make-catalog.py ../shared/babybuddy/babybuddy-models.json > src/engine/babybuddy-catalog.json
"""
import json
import sys

# Latest migration per app -> release (from ../shared/babybuddy/README.md).
RELEASES = [
    ("2.9.0 - 2.10.0", "0036_medication", "0035_alter_settings_language"),
    ("2.7.0 - 2.8.0", "0035_recalculate_durations", "0035_alter_settings_language"),
    ("2.6.1 - 2.6.3", "0035_recalculate_durations", "0034_alter_settings_language"),
    ("2.6.0", "0034_alter_tag_options", "0034_alter_settings_language"),
    ("2.5.0", "0034_alter_tag_options", "0032_settings_pagination_count"),
    ("2.4.0", "0033_heightpercentile_and_more", "0030_alter_settings_language_alter_settings_timezone"),
    ("2.2.0 - 2.3.1", "0033_heightpercentile_and_more", "0029_create_cache_table"),
    ("2.1.0 - 2.1.2", "0030_weightpercentile_weightpercentile_unique_age_sex", "0029_create_cache_table"),
    ("2.0.3 - 2.0.4", "0029_alter_pumping_options_remove_pumping_time_and_more", "0029_create_cache_table"),
    ("2.0.0 - 2.0.2", "0029_alter_pumping_options_remove_pumping_time_and_more",
     "0028_alter_settings_language_alter_settings_timezone"),
    ("1.14.0 - 1.16.0", "0025_pumping_tags", "0027_remove_standard_group"),
    ("1.14.0 - 1.16.0", "0025_pumping_tags", "0026"),
    ("1.13.x", "0024_alter_tag_slug", "0023_alter_settings_timezone"),
    ("1.11.0 - 1.12.2", "0023_alter_tag_options_alter_bmi_tags_and_more", "0022_alter_settings_language"),
    ("1.10.x", "0018_bmi_headcircumference_height", "0020_update_language_en_to_en_us"),
]


def field(f):
    out = {"name": f["name"], "column": f["column"], "type": f["django_type"]}
    if f.get("primary_key"):
        out["primary_key"] = True
    if f.get("null"):
        out["null"] = True
    if f.get("fk_target_table"):
        out["target"] = f["fk_target_table"]
    if f.get("upload_to"):
        out["upload_to"] = f["upload_to"]
    return out


def main():
    src = json.load(open(sys.argv[1]))
    tables = []
    for name, t in src["tables"].items():
        entry = {
            "table": name,
            "model": t["model"],
            "pk": t["pk"],
            "fields": [field(f) for f in t["fields"]],
        }
        if t.get("auto_created_m2m_through"):
            entry["m2m_through"] = True
        m2m = [{"name": m["name"], "through": m["through_table"], "source": m["source_column"],
                "target_column": m["target_column"], "target": m["target_table"]}
               for m in t.get("m2m", []) if m.get("serialized_in_dumpdata")]
        if m2m:
            entry["m2m"] = m2m
        if t.get("natural_key"):
            entry["natural_key"] = True
        tables.append(entry)
    out = {
        "babybuddy_version": src["_meta"]["babybuddy_version"],
        "model_order": src["_meta"]["dumpdata_model_order"],
        "not_backed_up": ["sessions.session", "contenttypes.contenttype", "auth.permission"],
        "non_model_tables": ["django_migrations", "cache_default", "sqlite_sequence"],
        "releases": [{"release": r, "core": c, "babybuddy": b} for r, c, b in RELEASES],
        "tables": tables,
    }
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
