-- 0016: a finding's text is kept once. Since 0008 text_json holds both
-- languages; title, detail and action repeated the scan's language beside
-- them (three copies of one text, all sent to the dashboard). They stay only
-- for findings without text_json (agent scans); new rows store them empty.
UPDATE findings SET title = '', detail = '', action = '' WHERE text_json <> 'null';
