// i18n.js - every text of the dashboard in Japanese and English. Japanese is
// the default; the choice is remembered in this browser (localStorage).

const KEY = 'mamori.lang';

const text = {
  ja: {
    nav_risk: 'リスク分析', nav_threats: '脅威情報',
    risk_title: '情報資産管理台帳とリスク値', risk_hint: '重要度＝機密性・完全性・可用性の最大（個人情報は3）、リスク値＝重要度×被害発生可能性（IPA リスク分析シート）',
    risk_csv: 'CSV をダウンロード（Excel 用）', risk_import: '機器を台帳に取り込む', risk_none: '台帳はまだ空です。',
    risk_name: '情報資産', risk_c: '機密性', risk_i: '完全性', risk_a: '可用性', risk_threat: '脅威', risk_weakness: '脆弱性',
    risk_personal: '個人情報を含む', risk_importance: '重要度', risk_likelihood: '可能性', risk_value: 'リスク値',
    risk_treatment: '対応', risk_add: '情報資産を追加', risk_add_button: '追加する',
    adv_mine_title: '自社に関係する脆弱性・注意喚起', adv_mine_none: '自社のソフトウェアに関係するものはありません。',
    adv_all_title: '取り込んだ情報（{n}件）', adv_none: 'まだ取り込んでいません（mamori advisories import）。',
    adv_mine: '自社に関係', adv_installed: '該当ソフト:',
    nav_incidents: 'インシデント対応',
    inc_title_page: 'インシデント対応（IPAの3ステップ）', inc_none: '記録したインシデントはありません。',
    inc_open: 'インシデントを記録する', inc_kind: '種類', inc_from_alert: 'アラートから',
    inc_no_alert: '（アラートなし・手入力）', inc_title: '件名', inc_open_button: '記録して対応を始める',
    inc_back: '← 一覧へ', inc_discovered: '発覚:', inc_state_open: '対応中', inc_state_closed: '完了',
    inc_go_step: 'このステップへ', inc_ppc: '個人情報保護委員会への報告が必要な場合（当てはまるものを選ぶ）',
    inc_report_to: '届出・相談先', inc_need_must: '義務', inc_need_should: '推奨', inc_need_may: '検討',
    inc_reported: '届出済み', inc_contacts: '連絡先', inc_no_contacts: '連絡先が未登録です（保守ベンダー、保険会社など）。',
    inc_close: '対応を完了する', inc_reopen: '再開する', inc_due: '期限', inc_done: '報告済み',
    inc_overdue: '期限切れ', inc_remaining: '残り', inc_left: '{d}日{h}時間',
    app_name: 'mamori お守り',
    nav_overview: '概要', nav_assets: '機器とソフトウェア', nav_vulns: '脆弱性',
    nav_alerts: 'アラート', nav_settings: '設定',
    switch_lang: 'English', logout: 'ログアウト', loading: '読み込み中…',
    error_load: 'データを読み込めませんでした', retry: '再読み込み',
    login_title: 'ログイン', login_user: 'ユーザー名', login_password: 'パスワード',
    login_submit: 'ログイン', login_failed: 'ユーザー名またはパスワードが違います。',
    login_limited: 'ログインの失敗が続いたため、しばらく待ってからお試しください。',
    login_error: 'ログインできませんでした。サーバーを確認してください。',
    login_hint: '初回起動時に表示された admin のパスワードでログインできます。',
    score_title: '総合スコア', score_none: 'まだスキャンがありません',
    score_none_hint: 'mamori up が数分以内に最初のスキャンを保存します。',
    grade_A: 'とても良い', grade_B: '良い', grade_C: '要改善', grade_D: '危険', grade_E: '非常に危険',
    trend_up: '前回より {n} 点上がりました', trend_down: '前回より {n} 点下がりました',
    trend_same: '前回と同じです', trend_first: '初回のスキャンです',
    trend_title: 'スコアの推移', basics_title: '情報セキュリティ5か条',
    kajo_1: 'OS やソフトウェアを最新にする', kajo_2: 'ウイルス対策ソフトを導入する',
    kajo_3: 'パスワードを強化する', kajo_4: '共有設定を見直す', kajo_5: '脅威や攻撃の手口を知る',
    kajo_manual: '自己診断（mamori assess）で確認', kajo_ok: '問題なし', kajo_issues: '{n} 件の指摘',
    todo_title: '今すぐやること', todo_none: '今すぐ対応が必要なことはありません。',
    todo_kev: '{pkg}（{host}）に悪用が確認されている脆弱性 {cve} があります',
    todo_kev_action: '今日中に更新してください: sudo apt update && sudo apt upgrade',
    todo_updates: '{n} 件の脆弱性が更新で直ります',
    todo_updates_action: '更新を適用してください: sudo apt update && sudo apt upgrade',
    todo_alert_action: 'アラートを確認し、対応してください。',
    hosts_title: '機器', host_name: 'ホスト名', host_os: 'OS', host_last_seen: '最終確認',
    host_score: 'スコア', host_packages: 'ソフトウェア数', host_none: 'まだ機器がありません。',
    software_title: '{host} のソフトウェア', software_filter: '名前で絞り込み',
    software_name: '名前', software_version: 'バージョン', software_arch: 'アーキテクチャ',
    software_count: '{n} 件中 {m} 件を表示', findings_title: '指摘事項', findings_none: '指摘事項はありません。', finding_action: 'やること', listening_title: '待ち受けているポート',
    vulns_title: '脆弱性（直す順）', vulns_none_checked: 'まだ脆弱性の確認をしていません。',
    vulns_none_checked_hint: '脆弱性データを取り込むと（mamori vuln update FILE…）、次のスキャンから表示されます。',
    vulns_none: '見つかった脆弱性はありません。',
    vulns_total: '合計', vulns_kev: '悪用が確認済み', vulns_fixable: '更新で直る', vulns_hosts: '確認した機器',
    vuln_kev: '悪用確認済み（CISA KEV）', vuln_ransomware: 'ランサムウェアで使用',
    vuln_fixable: '更新で直る', vuln_unfixed: '修正版なし', vuln_minor: '影響小',
    vuln_due: '対応期限 {d}', vuln_epss: '悪用の可能性 {p}%', vuln_cvss: 'CVSS {s}',
    vuln_action_kev: '攻撃に使われています。今日中に更新してください。',
    vuln_action_fixable: '更新で直ります: sudo apt update && sudo apt upgrade',
    vuln_action_unfixed: '修正版はまだありません。使っていなければ削除し、外部に公開しないでください。',
    vuln_action_minor: '影響は小さいと判断されています。定期的な更新で対応できます。',
    vuln_shown: '{n} 件中 {m} 件を表示',
    alerts_title: 'アラート', alerts_open: '未対応', alerts_all: 'すべて',
    alerts_none: '未対応のアラートはありません。', alerts_none_all: 'アラートはありません。',
    alert_what: '何が起きたか', alert_serious: '深刻度', alert_do: '今すぐやること',
    alert_ack: '確認した', alert_resolve: '解決した', alert_reopen: '再開',
    alert_count: '{n} 回', alert_timeline: '経過', alert_state_new: '未対応',
    alert_state_acknowledged: '確認済み', alert_state_resolved: '解決済み',
    alert_forbidden: 'この操作には operator 以上の権限が必要です。',
    alert_from: '送信元 {ip}', alert_user: 'ユーザー {u}', alert_host: '機器 {h}',
    step_raised: '発生', step_acknowledged: '確認', step_resolved: '解決', step_reopened: '再開', step_notified: '通知', step_note: 'メモ',
    sev_info: '情報', sev_low: '低', sev_medium: '中', sev_high: '高', sev_critical: '緊急',
    settings_title: '設定', users_title: 'ユーザー', user_name: 'ユーザー名', user_role: '権限',
    user_created: '作成日', user_last: '最終利用', users_admin_only: 'ユーザー一覧は管理者だけが見られます。',
    users_add_hint: 'ユーザーの追加: mamori user add 名前 --role admin|operator|viewer（パスワードは標準入力）',
    role_admin: '管理者', role_operator: '担当者', role_viewer: '閲覧のみ',
    agents_title: 'エージェントとセンサー', agents_none: 'まだ登録されたエージェントはありません（このコンピューターは mamori up が直接見守っています）。',
    agent_name: '名前', agent_kind: '種類', agent_host: 'ホスト名', agent_enrolled: '登録日',
    agent_last: '最終受信', agent_state: '状態', agent_active: '稼働中', agent_revoked: '無効化済み',
    agent_revoke: '無効にする', agent_revoke_confirm: 'このエージェントを無効にしますか？以後の送信は拒否されます。',
    agent_spool: '未送信 {n} 件', agent_dropped: '欠落 {n} 件',
    tokens_title: '登録トークン', tokens_none: '登録トークンはありません。', token_create: 'エージェント用トークンを作る',
    token_create_sensor: 'センサー用トークンを作る', token_kind: '種類', token_expires: '有効期限',
    token_state: '状態', token_unused: '未使用', token_used: '使用済み', token_expired: '期限切れ',
    token_new: '新しい登録トークン（この画面でしか表示されません）:',
    token_command: '登録するコンピューターで次を実行してください:',
    tokens_admin_only: '登録トークンは管理者だけが扱えます。',
    account_title: 'あなたのアカウント', language_title: '表示言語', never: '—',
  },
  en: {
    nav_risk: 'Risk analysis', nav_threats: 'Threats',
    risk_title: 'Information asset ledger and risk values', risk_hint: "Importance = the highest of C, I, A (3 with personal data); risk = importance x likelihood (IPA's risk sheet)",
    risk_csv: 'Download CSV (for Excel)', risk_import: 'Pull computers into the ledger', risk_none: 'The ledger is empty.',
    risk_name: 'Information asset', risk_c: 'Confidentiality', risk_i: 'Integrity', risk_a: 'Availability', risk_threat: 'Threat', risk_weakness: 'Weakness',
    risk_personal: 'Holds personal data', risk_importance: 'Importance', risk_likelihood: 'Likelihood', risk_value: 'Risk',
    risk_treatment: 'Treatment', risk_add: 'Add an information asset', risk_add_button: 'Add',
    adv_mine_title: 'Advisories that concern you', adv_mine_none: 'None concerns your software.',
    adv_all_title: 'Imported advisories ({n})', adv_none: 'Nothing imported yet (mamori advisories import).',
    adv_mine: 'concerns you', adv_installed: 'installed:',
    nav_incidents: 'Incidents',
    inc_title_page: "Incident response (IPA's three steps)", inc_none: 'No incidents recorded.',
    inc_open: 'Record an incident', inc_kind: 'Kind', inc_from_alert: 'From an alert',
    inc_no_alert: '(no alert: type a title)', inc_title: 'Title', inc_open_button: 'Record and start',
    inc_back: '← back to the list', inc_discovered: 'Discovered:', inc_state_open: 'open', inc_state_closed: 'closed',
    inc_go_step: 'go to this step', inc_ppc: 'When a report to the PPC is required (tick what applies)',
    inc_report_to: 'Where to report', inc_need_must: 'must', inc_need_should: 'should', inc_need_may: 'may',
    inc_reported: 'reported', inc_contacts: 'Contacts', inc_no_contacts: 'No contacts entered yet (IT vendor, insurer ...).',
    inc_close: 'Close the incident', inc_reopen: 'Reopen', inc_due: 'due', inc_done: 'reported',
    inc_overdue: 'overdue', inc_remaining: 'left', inc_left: '{d} d {h} h',
    app_name: 'mamori',
    nav_overview: 'Overview', nav_assets: 'Computers & software', nav_vulns: 'Vulnerabilities',
    nav_alerts: 'Alerts', nav_settings: 'Settings',
    switch_lang: '日本語', logout: 'Log out', loading: 'Loading…',
    error_load: 'Could not load the data', retry: 'Reload',
    login_title: 'Log in', login_user: 'User name', login_password: 'Password',
    login_submit: 'Log in', login_failed: 'Wrong user name or password.',
    login_limited: 'Too many failed logins. Wait a while, then try again.',
    login_error: 'Could not log in. Check that the server is running.',
    login_hint: 'Use the admin password printed at the first start.',
    score_title: 'Overall score', score_none: 'No scan yet',
    score_none_hint: 'mamori up stores the first scan within a few minutes.',
    grade_A: 'Very good', grade_B: 'Good', grade_C: 'Needs work', grade_D: 'At risk', grade_E: 'At high risk',
    trend_up: 'Up {n} points since the last scan', trend_down: 'Down {n} points since the last scan',
    trend_same: 'Same as the last scan', trend_first: 'First scan',
    trend_title: 'Score over time', basics_title: 'The five basics',
    kajo_1: 'Keep the OS and software up to date', kajo_2: 'Use anti-malware software',
    kajo_3: 'Use strong passwords', kajo_4: 'Review what is shared', kajo_5: 'Know the threats and tricks',
    kajo_manual: 'Check with the self-assessment (mamori assess)', kajo_ok: 'No issues', kajo_issues: 'Issues: {n}',
    todo_title: 'Do this now', todo_none: 'Nothing needs doing right now.',
    todo_kev: '{pkg} on {host} has {cve}, a vulnerability known to be exploited',
    todo_kev_action: 'Update today: sudo apt update && sudo apt upgrade',
    todo_updates: 'Updates fix {n} vulnerabilities',
    todo_updates_action: 'Install the updates: sudo apt update && sudo apt upgrade',
    todo_alert_action: 'Look at the alert and respond.',
    hosts_title: 'Computers', host_name: 'Host name', host_os: 'OS', host_last_seen: 'Last seen',
    host_score: 'Score', host_packages: 'Software', host_none: 'No computers yet.',
    software_title: 'Software on {host}', software_filter: 'Filter by name',
    software_name: 'Name', software_version: 'Version', software_arch: 'Architecture',
    software_count: 'Showing {m} of {n}', findings_title: 'Findings', findings_none: 'No findings.', finding_action: 'What to do', listening_title: 'Listening ports',
    vulns_title: 'Vulnerabilities (fix-first order)', vulns_none_checked: 'Vulnerabilities have not been checked yet.',
    vulns_none_checked_hint: 'Import vulnerability data (mamori vuln update FILE…); the next scans then show them.',
    vulns_none: 'No vulnerabilities found.',
    vulns_total: 'Total', vulns_kev: 'Known exploited', vulns_fixable: 'Fixed by updates', vulns_hosts: 'Computers checked',
    vuln_kev: 'Known exploited (CISA KEV)', vuln_ransomware: 'Used by ransomware',
    vuln_fixable: 'Update available', vuln_unfixed: 'No fix yet', vuln_minor: 'Minor',
    vuln_due: 'Due {d}', vuln_epss: 'Exploit likelihood {p}%', vuln_cvss: 'CVSS {s}',
    vuln_action_kev: 'Attackers use this. Update today.',
    vuln_action_fixable: 'An update fixes it: sudo apt update && sudo apt upgrade',
    vuln_action_unfixed: 'No fix yet. Remove the software if unused and keep it off the internet.',
    vuln_action_minor: 'Judged minor. Regular updates take care of it.',
    vuln_shown: 'Showing {m} of {n}',
    alerts_title: 'Alerts', alerts_open: 'Open', alerts_all: 'All',
    alerts_none: 'No open alerts.', alerts_none_all: 'No alerts.',
    alert_what: 'What happened', alert_serious: 'How serious', alert_do: 'What to do now',
    alert_ack: 'Acknowledge', alert_resolve: 'Resolve', alert_reopen: 'Reopen',
    alert_count: '{n} times', alert_timeline: 'Timeline', alert_state_new: 'Open',
    alert_state_acknowledged: 'Acknowledged', alert_state_resolved: 'Resolved',
    alert_forbidden: 'This needs the operator or admin role.',
    alert_from: 'From {ip}', alert_user: 'User {u}', alert_host: 'Computer {h}',
    step_raised: 'Raised', step_acknowledged: 'Acknowledged', step_resolved: 'Resolved', step_reopened: 'Reopened', step_notified: 'Notified', step_note: 'Note',
    sev_info: 'Info', sev_low: 'Low', sev_medium: 'Medium', sev_high: 'High', sev_critical: 'Critical',
    settings_title: 'Settings', users_title: 'Users', user_name: 'User name', user_role: 'Role',
    user_created: 'Created', user_last: 'Last active', users_admin_only: 'Only administrators can see the users.',
    users_add_hint: 'Add a user: mamori user add NAME --role admin|operator|viewer (password on standard input)',
    role_admin: 'Administrator', role_operator: 'Operator', role_viewer: 'Viewer',
    agents_title: 'Agents and sensors', agents_none: 'No agents enrolled yet (mamori up watches this computer directly).',
    agent_name: 'Name', agent_kind: 'Kind', agent_host: 'Host name', agent_enrolled: 'Enrolled',
    agent_last: 'Last heard', agent_state: 'State', agent_active: 'Active', agent_revoked: 'Revoked',
    agent_revoke: 'Revoke', agent_revoke_confirm: 'Revoke this agent? It can no longer send anything.',
    agent_spool: '{n} waiting', agent_dropped: '{n} lost',
    tokens_title: 'Enrolment tokens', tokens_none: 'No enrolment tokens.', token_create: 'New agent token',
    token_create_sensor: 'New sensor token', token_kind: 'Kind', token_expires: 'Expires',
    token_state: 'State', token_unused: 'Unused', token_used: 'Used', token_expired: 'Expired',
    token_new: 'New enrolment token (shown only now):',
    token_command: 'On the computer to enrol, run:',
    tokens_admin_only: 'Only administrators handle enrolment tokens.',
    account_title: 'Your account', language_title: 'Language', never: '—',
  },
};

function stored() {
  try { return localStorage.getItem(KEY); } catch (e) { return null; }
}

let lang = stored() === 'en' ? 'en' : 'ja';

export function getLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'ja';
  try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode: this page only */ }
  document.documentElement.lang = lang;
}

// t('trend_up', {n: 3}) -> the text in the current language.
export function t(key, vars) {
  let s = text[lang][key];
  if (s === undefined) s = text.ja[key] || key;
  if (vars) for (const k of Object.keys(vars)) s = s.split('{' + k + '}').join(String(vars[k]));
  return s;
}

// {en, ja} from the server -> the current language, else the other one.
export function pick(pair) {
  if (!pair) return '';
  return pair[lang] || pair[lang === 'ja' ? 'en' : 'ja'] || '';
}

export function formatTime(unixSeconds) {
  if (!unixSeconds) return t('never');
  return new Date(unixSeconds * 1000).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB',
    { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(unixSeconds) {
  if (!unixSeconds) return t('never');
  return new Date(unixSeconds * 1000).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB',
    { month: '2-digit', day: '2-digit' });
}

document.documentElement.lang = lang;
