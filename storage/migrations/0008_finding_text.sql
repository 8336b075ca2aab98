-- 0008: each finding's text in both languages. title/detail/action keep the
-- language of the scan (what the CLI printed); text_json holds
-- {"en": {"title", "detail", "action"}, "ja": {...}} so the dashboard can
-- show either language whatever LANG the scan ran under.
ALTER TABLE findings ADD COLUMN text_json TEXT NOT NULL DEFAULT 'null';
