-- 0013: a small summary of each stored report (the five basics' scores, the
-- OS, the number of packages), so that the dashboard's lists do not parse a
-- ~300 KB report per computer on every page. Kept by triggers, whoever
-- stores the report (a local scan or an agent's batch).
ALTER TABLE scans ADD COLUMN summary_json TEXT;
UPDATE scans SET summary_json = json_object(
	'kajo', json(json_extract(report_json, '$.score.kajo')),
	'os', json_extract(report_json, '$.host.os.pretty_name'),
	'packages', json_array_length(report_json, '$.packages'))
	WHERE report_json IS NOT NULL AND json_valid(report_json);
CREATE TRIGGER scans_summary_update AFTER UPDATE OF report_json ON scans
	WHEN NEW.report_json IS NOT NULL AND json_valid(NEW.report_json)
BEGIN
	UPDATE scans SET summary_json = json_object(
		'kajo', json(json_extract(NEW.report_json, '$.score.kajo')),
		'os', json_extract(NEW.report_json, '$.host.os.pretty_name'),
		'packages', json_array_length(NEW.report_json, '$.packages'))
		WHERE id = NEW.id;
END;
CREATE TRIGGER scans_summary_insert AFTER INSERT ON scans
	WHEN NEW.report_json IS NOT NULL AND json_valid(NEW.report_json)
BEGIN
	UPDATE scans SET summary_json = json_object(
		'kajo', json(json_extract(NEW.report_json, '$.score.kajo')),
		'os', json_extract(NEW.report_json, '$.host.os.pretty_name'),
		'packages', json_array_length(NEW.report_json, '$.packages'))
		WHERE id = NEW.id;
END;
