-- 0014: the summary of 0013 moves to its own table. As a column after
-- report_json it was behind ~300 KB of overflow pages, so reading it cost a
-- whole report (measured by bench/dashboard.sh: 117 ms for 1,000 scans). A
-- row in scan_summary also tells "this scan has a stored report" without
-- touching report_json at all.
DROP TRIGGER scans_summary_update;
DROP TRIGGER scans_summary_insert;
CREATE TABLE scan_summary (
	scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
	summary_json TEXT NOT NULL       -- {kajo, os, packages}
);
INSERT INTO scan_summary (scan_id, summary_json)
	SELECT id, summary_json FROM scans WHERE summary_json IS NOT NULL;
ALTER TABLE scans DROP COLUMN summary_json;
CREATE TRIGGER scan_summary_update AFTER UPDATE OF report_json ON scans
	WHEN NEW.report_json IS NOT NULL AND json_valid(NEW.report_json)
BEGIN
	INSERT OR REPLACE INTO scan_summary (scan_id, summary_json) VALUES (NEW.id, json_object(
		'kajo', json(json_extract(NEW.report_json, '$.score.kajo')),
		'os', json_extract(NEW.report_json, '$.host.os.pretty_name'),
		'packages', json_array_length(NEW.report_json, '$.packages')));
END;
CREATE TRIGGER scan_summary_insert AFTER INSERT ON scans
	WHEN NEW.report_json IS NOT NULL AND json_valid(NEW.report_json)
BEGIN
	INSERT OR REPLACE INTO scan_summary (scan_id, summary_json) VALUES (NEW.id, json_object(
		'kajo', json(json_extract(NEW.report_json, '$.score.kajo')),
		'os', json_extract(NEW.report_json, '$.host.os.pretty_name'),
		'packages', json_array_length(NEW.report_json, '$.packages')));
END;
