/* detect_rules.c - the sensor's alert rules with their bilingual text, and
 * small helpers the detectors share. */
#include "sensor/detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "sensor/sensor.h"

#define INFECTED_ACTION { \
	"Unplug the PC's network cable (or turn off its Wi-Fi) now, but keep it powered on so the evidence stays. Do not use it, and call your IT support or the IPA/JPCERT consultation desk.", \
	"今すぐそのパソコンのLANケーブルを抜く（またはWi-Fiを切る）してください。電源は切らずにそのままにし（証拠が消えないように）、使わずにIT担当者またはIPA・JPCERTの相談窓口に連絡してください。" }

static const struct detect_rule rules[R__COUNT] = {
	[R_IOC_IP] = { 2100001, "A Network Trojan was detected", { "mamori.net.ioc_ip",
	    "Connection to a known malicious IP address", ALERT_HIGH, IR_DETECT,
	    { "A computer talked to an IP address listed as a botnet or malware server.",
	      "既知のボットネット・マルウェアのサーバとして登録されたIPアドレスと通信しました。" },
	    { "This usually means the computer is infected and is being controlled from outside, or is downloading more malware.",
	      "そのパソコンがウイルスに感染し、外部から操られている、または別のウイルスを取り込んでいる可能性が高い状態です。" },
	    INFECTED_ACTION } },
	[R_IOC_DOMAIN] = { 2100002, "A Network Trojan was detected", { "mamori.net.ioc_domain",
	    "Lookup of or connection to a known malicious domain", ALERT_HIGH, IR_DETECT,
	    { "A computer looked up or connected to a domain listed as malicious.",
	      "悪性として登録されたドメインを、パソコンが名前解決または接続しました。" },
	    { "Malware uses such domains for its command server or for phishing pages; the computer may be infected.",
	      "このようなドメインはウイルスの指令サーバやフィッシングに使われます。パソコンが感染している可能性があります。" },
	    INFECTED_ACTION } },
	[R_IOC_URL] = { 2100003, "A Network Trojan was detected", { "mamori.net.ioc_url",
	    "Download from a known malware URL", ALERT_HIGH, IR_DETECT,
	    { "A computer requested a web address listed as spreading malware.",
	      "ウイルスの配布元として登録されたURLに、パソコンがアクセスしました。" },
	    { "A malicious file may have been downloaded and opened on that computer.",
	      "悪性のファイルがダウンロードされ、開かれた可能性があります。" },
	    INFECTED_ACTION } },
	[R_IOC_JA3] = { 2100004, "A Network Trojan was detected", { "mamori.net.ioc_ja3",
	    "Encrypted connection made by known malware (JA3 fingerprint)", ALERT_HIGH, IR_DETECT,
	    { "A computer opened an encrypted connection whose fingerprint (JA3) is that of known malware.",
	      "既知のウイルスと同じ特徴（JA3指紋）を持つ暗号化通信が行われました。" },
	    { "The program that made this connection behaves like malware talking to its command server.",
	      "この通信をしたプログラムは、ウイルスが指令サーバと通信するときと同じ振る舞いをしています。" },
	    INFECTED_ACTION } },
	[R_PORT_SCAN] = { 2100010, "Detection of a Network Scan", { "mamori.net.port_scan",
	    "Port scan", ALERT_MEDIUM, IR_DETECT,
	    { "One computer tried many ports of another computer in a short time (a port scan).",
	      "1台の機器が、別の機器の多数のポートに短時間で接続を試みました（ポートスキャン）。" },
	    { "Attackers scan to find services to break into. From inside the office, it often means an infected PC looking for its next victim.",
	      "攻撃者は侵入口を探すためにスキャンを行います。社内の機器からの場合、感染したパソコンが次の標的を探していることがよくあります。" },
	    { "If the scanning computer is in the office and nobody on your staff ran a scan on purpose, unplug its network cable, keep it on, and call your IT support.",
	      "スキャン元が社内の機器で、社内の誰かが意図して行ったものでなければ、その機器のLANケーブルを抜き、電源は入れたままでIT担当者に連絡してください。" } } },
	[R_HOST_SCAN] = { 2100011, "Detection of a Network Scan", { "mamori.net.host_scan",
	    "Host scan", ALERT_MEDIUM, IR_DETECT,
	    { "One computer tried to connect to many different computers in a short time (a host scan).",
	      "1台の機器が、短時間に多数の機器へ接続を試みました（ホストスキャン）。" },
	    { "Worms and ransomware spread this way inside an office network.",
	      "ワームやランサムウェアは、このようにして社内ネットワークに広がります。" },
	    { "If the source is an office computer, unplug its network cable, keep it on, and call your IT support.",
	      "送信元が社内のパソコンなら、LANケーブルを抜き、電源は入れたままでIT担当者に連絡してください。" } } },
	[R_EXPOSED_SERVICE] = { 2100020, "Attempted Administrator Privilege Gain", { "mamori.net.exposed_service",
	    "Remote desktop or file sharing reached from the internet", ALERT_HIGH, IR_DETECT,
	    { "A computer on the internet connected to remote desktop, file sharing, Telnet or VNC on an office machine.",
	      "インターネット上の相手が、社内の機器のリモートデスクトップ・ファイル共有・Telnet・VNCに接続しました。" },
	    { "These services are the most common way ransomware gangs break in. They must not be reachable from the internet.",
	      "これらのサービスはランサムウェア攻撃者の最も多い侵入口です。インターネットから到達できてはいけません。" },
	    { "Close this port on the router (remove the port forwarding) today, and check the office machine's login history. Use a VPN for remote work instead.",
	      "今日中にルータのポート開放（ポートフォワード）を止め、その機器のログイン履歴を確認してください。在宅勤務にはVPNを使ってください。" } } },
	[R_DNS_TUNNEL] = { 2100030, "Potentially Bad Traffic", { "mamori.net.dns_tunnel",
	    "DNS tunnelling", ALERT_HIGH, IR_DETECT,
	    { "A computer sent many DNS queries with long, random-looking names to one domain (DNS tunnelling).",
	      "1台のパソコンが、長くランダムな名前のDNS問い合わせを1つのドメインに大量に送りました（DNSトンネリング）。" },
	    { "Malware hides its command channel or stolen data inside DNS because DNS is rarely blocked.",
	      "ウイルスは、遮断されにくいDNSの中に指令の通信や盗んだデータを隠して送ります。" },
	    INFECTED_ACTION } },
	[R_LOG4SHELL] = { 2100040, "Attempted Administrator Privilege Gain", { "mamori.net.log4shell",
	    "Log4Shell exploit attempt (CVE-2021-44228)", ALERT_HIGH, IR_DETECT,
	    { "A web request carried a Log4Shell attack string (${jndi:...}).",
	      "Webへの通信にLog4Shell攻撃の文字列（${jndi:...}）が含まれていました。" },
	    { "If the web server uses an old Log4j, the attacker can run programs on it.",
	      "Webサーバが古いLog4jを使っていると、攻撃者がサーバ上で任意のプログラムを実行できます。" },
	    { "Update Log4j (2.17.1 or later) on the target server today, and check whether the server made unexpected outbound connections (LDAP, downloads).",
	      "今日中に対象サーバのLog4jを2.17.1以降に更新し、サーバから不審な外向き通信（LDAPやダウンロード）がなかったか確認してください。" } } },
	[R_SQLI] = { 2100041, "Web Application Attack", { "mamori.net.sqli",
	    "SQL injection attempt", ALERT_MEDIUM, IR_DETECT,
	    { "A web request contained SQL injection (an attempt to make the website's database run attacker commands).",
	      "Webへの通信にSQLインジェクション（Webサイトのデータベースを不正に操作する攻撃）が含まれていました。" },
	    { "A vulnerable website can leak or lose its customer data this way.",
	      "脆弱なWebサイトでは、顧客情報の流出や改ざんにつながります。" },
	    { "Ask the website's developer or host to check the site for SQL injection and apply updates; check the web server logs for what the attacker got back.",
	      "Webサイトの制作会社・ホスティング業者にSQLインジェクション対策と更新を依頼し、Webサーバのログで攻撃者に何が返ったか確認してください。" } } },
	[R_CLEARTEXT_TELNET] = { 2100050, "Potential Corporate Privacy Violation", { "mamori.net.cleartext_telnet",
	    "Telnet login (password sent unencrypted)", ALERT_LOW, IR_RECOVER,
	    { "Someone logged in to a device with Telnet, which sends the password unencrypted.",
	      "Telnetで機器にログインした通信がありました。Telnetはパスワードを暗号化せずに送ります。" },
	    { "Anyone on the network path can read the password and reuse it.",
	      "通信経路上の誰でもパスワードを盗み見て悪用できます。" },
	    { "Turn off Telnet on that device and use SSH or its web admin over HTTPS; change the password that was used.",
	      "その機器のTelnetを無効にし、SSHやHTTPSの管理画面を使ってください。使われたパスワードは変更してください。" } } },
	[R_CLEARTEXT_FTP] = { 2100051, "Potential Corporate Privacy Violation", { "mamori.net.cleartext_ftp",
	    "FTP login (password sent unencrypted)", ALERT_LOW, IR_RECOVER,
	    { "Someone logged in to an FTP server, which sends the password unencrypted.",
	      "FTPサーバにログインした通信がありました。FTPはパスワードを暗号化せずに送ります。" },
	    { "Anyone on the network path can read the password and reuse it.",
	      "通信経路上の誰でもパスワードを盗み見て悪用できます。" },
	    { "Use SFTP or FTPS instead, and change the password that was used.",
	      "SFTPまたはFTPSに切り替え、使われたパスワードは変更してください。" } } },
	[R_ICMP_TUNNEL] = { 2100031, "Potentially Bad Traffic", { "mamori.net.icmp_tunnel",
	    "ICMP tunnelling", ALERT_HIGH, IR_DETECT,
	    { "Two computers exchanged a lot of data hidden inside ping (ICMP echo) packets.",
	      "2台の機器の間で、ping（ICMPエコー）の中に大量のデータを隠したやり取りがありました。" },
	    { "Ordinary ping carries a fixed test pattern. Data inside ping is how malware and data thieves slip past firewalls.",
	      "普通のpingは決まった試験用の中身しか運びません。pingの中にデータを入れるのは、ウイルスや情報の持ち出しがファイアウォールをすり抜ける手口です。" },
	    INFECTED_ACTION } },
	[R_BEACON] = { 2100060, "A Network Trojan was detected", { "mamori.net.beacon",
	    "Regular check-ins to an internet server (beaconing)", ALERT_MEDIUM, IR_DETECT,
	    { "A computer connected to the same internet server again and again at a steady interval, like clockwork.",
	      "1台のパソコンが、同じインターネット上のサーバに、時計のように一定の間隔で何度も接続しました。" },
	    { "Malware checks in with its command server on a timer. Some legitimate software (updates, monitoring) does too, so check what the server is.",
	      "ウイルスは一定の間隔で指令サーバに連絡します。更新や監視のソフトも同じことをするため、相手のサーバが何かを確認する必要があります。" },
	    { "Ask your IT support to identify the program making these connections. If nobody can explain it, unplug the PC's network cable, keep it on, and call for help.",
	      "この接続をしているプログラムをIT担当者に調べてもらってください。説明がつかなければ、そのパソコンのLANケーブルを抜き、電源は入れたままで相談窓口に連絡してください。" } } },
	[R_OUTBOUND_SMB_RDP] = { 2100021, "Potential Corporate Privacy Violation", { "mamori.net.outbound_smb_rdp",
	    "File sharing or remote desktop to the internet", ALERT_MEDIUM, IR_DETECT,
	    { "An office computer tried to use Windows file sharing (SMB) or remote desktop with a server on the internet.",
	      "社内のパソコンが、インターネット上のサーバとファイル共有（SMB）やリモートデスクトップで通信しようとしました。" },
	    { "File sharing to the internet can leak Windows passwords (their hashes) and files; worms spread this way. Remote desktop out of the office may be an unapproved remote-control tool.",
	      "インターネットへのファイル共有はWindowsのパスワード情報やファイルの流出につながり、ワームの感染経路にもなります。社外へのリモートデスクトップは、許可されていない遠隔操作の可能性があります。" },
	    { "Block ports 445, 139 and 3389 going out on the router, and ask your IT support which program on that computer made the connection.",
	      "ルータで外向きの445・139・3389番ポートを遮断し、そのパソコンのどのプログラムが接続したかIT担当者に調べてもらってください。" } } },
	[R_LARGE_UPLOAD] = { 2100061, "Potential Corporate Privacy Violation", { "mamori.net.large_upload",
	    "Large upload to the internet", ALERT_MEDIUM, IR_DETECT,
	    { "One office computer sent an unusually large amount of data to the internet within an hour.",
	      "社内の1台のパソコンが、1時間のうちに普段より非常に多くのデータをインターネットへ送りました。" },
	    { "Before locking files, ransomware gangs copy them out to threaten to publish them. It can also be a backup or a large file shared on purpose.",
	      "ランサムウェア攻撃者は、ファイルを暗号化する前に盗み出して公開すると脅します。意図したバックアップや大きなファイルの共有の場合もあります。" },
	    { "Check with the computer's user whether they sent large files (backup, cloud sharing). If not, unplug its network cable, keep it on, and call for help.",
	      "そのパソコンの利用者に、大きなファイルを送ったか（バックアップやクラウド共有）確認してください。心当たりがなければ、LANケーブルを抜き、電源は入れたままで相談窓口に連絡してください。" } } },
	[R_CLEARTEXT_HTTP_BASIC] = { 2100052, "Potential Corporate Privacy Violation", { "mamori.net.cleartext_http_basic",
	    "Password sent over plain HTTP (Basic authentication)", ALERT_LOW, IR_RECOVER,
	    { "A password was sent to a web page or device without encryption (HTTP Basic authentication).",
	      "Webページや機器に、パスワードが暗号化されずに送られました（HTTPのBasic認証）。" },
	    { "Anyone on the network path can read the password and reuse it.",
	      "通信経路上の誰でもパスワードを盗み見て悪用できます。" },
	    { "Use the HTTPS address of that site or device (turn on HTTPS in its settings), and change the password that was used.",
	      "そのサイトや機器にはHTTPSのアドレスで接続し（設定でHTTPSを有効にし）、使われたパスワードは変更してください。" } } },
	[R_IOC_CERT] = { 2100005, "A Network Trojan was detected", { "mamori.net.ioc_cert",
	    "Encrypted connection to a server with a known malicious certificate", ALERT_HIGH, IR_DETECT,
	    { "A computer connected to a server whose certificate (SHA-1 fingerprint) is listed as used by malware.",
	      "ウイルスが使うものとして登録された証明書（SHA-1指紋）を持つサーバに、パソコンが接続しました。" },
	    { "Such servers are malware command servers; the computer is probably infected.",
	      "このようなサーバはウイルスの指令サーバです。パソコンが感染している可能性が高い状態です。" },
	    INFECTED_ACTION } },
	[R_SMTP_SPAM] = { 2100070, "A Network Trojan was detected", { "mamori.net.smtp_spam",
	    "Office computer sending e-mail like spam malware", ALERT_HIGH, IR_DETECT,
	    { "An office computer sent e-mail straight to an outside mail server the way spam-sending malware does (it gave a false name for itself, or used many different mail servers).",
	      "社内のパソコンが、迷惑メールを送るウイルスと同じやり方で外部のメールサーバへ直接メールを送りました（自分について偽の名乗りをした、または多数のメールサーバを使った）。" },
	    { "Malware such as Emotet steals mail passwords and uses the PC to send infected mail to your customers in your company's name. The PC is probably infected.",
	      "Emotetなどのウイルスはメールのパスワードを盗み、そのパソコンから会社の名前で取引先へウイルス付きメールを送ります。パソコンが感染している可能性が高い状態です。" },
	    { "Unplug the PC's network cable (or turn off its Wi-Fi) now, keep it powered on, and call your IT support or the IPA/JPCERT consultation desk. Change the mail passwords used on that PC from another device, and warn your customers not to open mail that seems to come from you.",
	      "今すぐそのパソコンのLANケーブルを抜く（またはWi-Fiを切る）し、電源は入れたままでIT担当者またはIPA・JPCERTの相談窓口に連絡してください。そのパソコンで使っていたメールのパスワードを別の端末から変更し、取引先には当社を名乗る不審なメールを開かないよう連絡してください。" } } },
	[R_HTTP_IP_C2] = { 2100071, "A Network Trojan was detected", { "mamori.net.http_ip_c2",
	    "Data posted to a bare internet address on an unusual port", ALERT_HIGH, IR_DETECT,
	    { "An office computer sent data (HTTP POST) to an internet server known only by its number, on an unusual port.",
	      "社内のパソコンが、名前ではなく番号（IPアドレス）だけで指定したインターネット上のサーバへ、普段使わないポートでデータを送信（HTTP POST）しました。" },
	    { "Ordinary software talks to servers by name. Malware such as TrickBot and Emotet reports to its command server this way.",
	      "普通のソフトは名前でサーバに接続します。TrickBotやEmotetなどのウイルスは、このようにして指令サーバに報告します。" },
	    INFECTED_ACTION } },
	[R_TLS_IP_C2] = { 2100072, "A Network Trojan was detected", { "mamori.net.tls_ip_c2",
	    "Repeated encrypted connections to an internet address nobody looked up", ALERT_MEDIUM, IR_DETECT,
	    { "An office computer opened encrypted connections again and again to an internet address without naming any site and without looking the address up first.",
	      "社内のパソコンが、接続先の名前を示さず、名前解決もしていないインターネット上のアドレスへ、暗号化通信を繰り返しました。" },
	    { "Browsers and ordinary programs find servers by name. Malware such as Emotet carries a list of command-server addresses and connects to them directly.",
	      "ブラウザや普通のプログラムは名前でサーバを探します。Emotetなどのウイルスは指令サーバのアドレスの一覧を持っていて、直接接続します。" },
	    { "Ask your IT support to identify the program that made these connections. If nobody can explain it, unplug the PC's network cable, keep it on, and call for help.",
	      "この接続をしたプログラムをIT担当者に調べてもらってください。説明がつかなければ、そのパソコンのLANケーブルを抜き、電源は入れたままで相談窓口に連絡してください。" } } },
	[R_TOR] = { 2100073, "Potential Corporate Privacy Violation", { "mamori.net.tor",
	    "Tor anonymising network in use", ALERT_MEDIUM, IR_DETECT,
	    { "An office computer connected to the Tor anonymising network (encrypted connections to several relays under made-up site names).",
	      "社内のパソコンが、匿名化ネットワークTorに接続しました（でたらめなサイト名で複数の中継サーバへ暗号化通信）。" },
	    { "Tor hides where traffic goes. Ransomware and remote-control malware use it to reach their operators; staff may also use it to get around the office's rules.",
	      "Torは通信の行き先を隠します。ランサムウェアや遠隔操作ウイルスが操作者との連絡に使うほか、社員が社内のルールをすり抜けるために使うこともあります。" },
	    { "Ask the computer's user whether they installed the Tor Browser. If not, unplug the PC's network cable, keep it on, and call your IT support.",
	      "そのパソコンの利用者に、Torブラウザを入れたか確認してください。心当たりがなければ、LANケーブルを抜き、電源は入れたままでIT担当者に連絡してください。" } } },
	[R_MINING] = { 2100074, "Crypto Currency Mining Activity Detected", { "mamori.net.crypto_mining",
	    "Cryptocurrency mining", ALERT_HIGH, IR_DETECT,
	    { "An office computer or server is mining cryptocurrency: it talks to a mining pool with the Stratum protocol.",
	      "社内のパソコンまたはサーバが暗号資産（仮想通貨）のマイニングをしています（Stratumプロトコルでマイニングプールと通信）。" },
	    { "Attackers who break into a computer often install a miner: it wastes electricity and slows the machine, and it means someone else controls it.",
	      "侵入した攻撃者はよくマイニングソフトを仕込みます。電気代の浪費や動作の遅れにつながり、何より第三者に操られていることを意味します。" },
	    { "Find out who installed the mining program. If nobody did on purpose, unplug the machine's network cable, keep it on, and call your IT support; change the passwords used on it.",
	      "誰がマイニングソフトを入れたか確認してください。意図して入れた人がいなければ、LANケーブルを抜き、電源は入れたままでIT担当者に連絡し、その機器で使っていたパスワードを変更してください。" } } },
	[R_KERBEROAST] = { 2100080, "Attempted User Privilege Gain", { "mamori.net.kerberoast",
	    "Weak (RC4) service ticket issued: possible Kerberoasting", ALERT_MEDIUM, IR_DETECT,
	    { "A computer received a Windows domain service ticket encrypted with the weak RC4 cipher for a service account.",
	      "パソコンが、サービスアカウント用のWindowsドメインのチケットを、弱いRC4暗号のまま受け取りました。" },
	    { "Attackers collect such tickets (Kerberoasting) to guess the service account's password offline; these accounts often have high privileges. It also means the account still allows RC4.",
	      "攻撃者はこのチケットを集めて（Kerberoasting）、サービスアカウントのパスワードを手元で解読します。このアカウントは高い権限を持つことが多く、RC4を許している設定自体も弱点です。" },
	    { "Ask your IT support to set the service account to AES only and give it a long random password (25 characters or more). If the computer's user had no reason to use that service, have the computer checked.",
	      "IT担当者に、そのサービスアカウントをAESのみに設定し、長くランダムなパスワード（25文字以上）に変更するよう依頼してください。利用者がそのサービスを使う理由がなければ、そのパソコンを調べてもらってください。" } } },
	[R_ZEROLOGON] = { 2100081, "Attempted Administrator Privilege Gain", { "mamori.net.zerologon",
	    "Zerologon attack on a domain controller (CVE-2020-1472)", ALERT_HIGH, IR_DETECT,
	    { "A computer tried again and again to log on to a Windows domain controller with an all-zero password proof (the Zerologon attack).",
	      "1台の機器が、Windowsのドメインコントローラに、すべてゼロの認証情報で何度もログオンを試みました（Zerologon攻撃）。" },
	    { "On a domain controller without the August 2020 update this lets the attacker take over the whole Windows domain within seconds.",
	      "2020年8月の更新を適用していないドメインコントローラでは、攻撃者が数秒でWindowsドメイン全体を乗っ取れます。" },
	    { "Apply the Windows updates to the domain controller today. Unplug the attacking computer's network cable, keep it on, and call your IT support or the IPA/JPCERT consultation desk.",
	      "今日中にドメインコントローラにWindows更新を適用してください。攻撃元の機器のLANケーブルを抜き、電源は入れたままでIT担当者またはIPA・JPCERTの相談窓口に連絡してください。" } } },
	[R_ZEROLOGON_RESET] = { 2100082, "Successful Administrator Privilege Gain", { "mamori.net.zerologon_reset",
	    "Domain controller password reset by Zerologon", ALERT_CRITICAL, IR_DETECT,
	    { "After a Zerologon attack, a computer reset the domain controller's own account password without knowing it.",
	      "Zerologon攻撃の後、ある機器がドメインコントローラ自身のアカウントのパスワードを、正しい認証なしで書き換えました。" },
	    { "The attacker can now act as the domain controller and take every account in the Windows domain. The domain controller may also stop working properly.",
	      "攻撃者はドメインコントローラになりすまし、Windowsドメインのすべてのアカウントを奪えます。ドメインコントローラが正常に動かなくなるおそれもあります。" },
	    { "This is an emergency: unplug the attacking computer now (keep it on), call your IT support or the IPA/JPCERT consultation desk immediately, and do not restart the domain controller until they say so.",
	      "緊急事態です。今すぐ攻撃元の機器のLANケーブルを抜き（電源は入れたまま）、ただちにIT担当者またはIPA・JPCERTの相談窓口に連絡してください。指示があるまでドメインコントローラを再起動しないでください。" } } },
	[R_SMB1] = { 2100022, "Potentially Bad Traffic", { "mamori.net.smb1",
	    "Old, insecure file sharing (SMBv1) in use", ALERT_MEDIUM, IR_RECOVER,
	    { "Two machines on the office network shared files with version 1 of Windows file sharing (SMBv1), which is decades old.",
	      "社内ネットワークの2台の機器が、数十年前の古い方式であるWindowsファイル共有のバージョン1（SMBv1）でファイルをやり取りしました。" },
	    { "SMBv1 has no defence against well-known attacks: the WannaCry ransomware spread through it to every machine that still had it turned on. It is usually left on only for an old NAS, copier or scanner.",
	      "SMBv1には既知の攻撃への備えがなく、ランサムウェアWannaCryはこれを使ってSMBv1が有効な機器すべてに広がりました。多くの場合、古いNASや複合機・スキャナのためだけに残されています。" },
	    { "Turn SMBv1 off on the server named in this alert (on Windows: \"Turn Windows features on or off\", untick \"SMB 1.0/CIFS File Sharing Support\"). If an old NAS, copier or scanner then stops working, update its firmware so it uses SMB2 or later, or plan to replace it.",
	      "このアラートに示されたサーバでSMBv1を無効にしてください（Windowsでは「Windowsの機能の有効化または無効化」で「SMB 1.0/CIFS ファイル共有のサポート」のチェックを外します）。それで古いNASや複合機・スキャナが使えなくなる場合は、ファームウェアを更新してSMB2以降を使うように設定するか、買い替えを計画してください。" } } },
	[R_RDP_LAN] = { 2100023, "Misc activity", { "mamori.net.rdp_lan",
	    "Computer accepts remote desktop connections", ALERT_LOW, IR_RECOVER,
	    { "A computer on the office network accepted a remote desktop (RDP) connection from another office computer.",
	      "社内の機器が、別の社内の機器からのリモートデスクトップ（RDP）接続を受け付けました。" },
	    { "Remote desktop inside the office is common, but ransomware gangs who get into one PC use it with stolen passwords to move to the others. Every computer that accepts it is one more door.",
	      "社内でのリモートデスクトップはよく使われますが、1台に侵入したランサムウェア攻撃者は、盗んだパスワードでこれを使って他の機器へ広がります。受け付ける機器が多いほど、入口が増えます。" },
	    { "Check whether this computer needs remote desktop. If not, turn it off (Settings > System > Remote Desktop). If it does, allow only the staff who need it, with strong passwords and Network Level Authentication on.",
	      "この機器にリモートデスクトップが必要か確認してください。不要なら無効にしてください（設定 > システム > リモート デスクトップ）。必要なら、使う人だけに許可し、強いパスワードとネットワークレベル認証（NLA）を有効にしてください。" } } },
	[R_SHARE_EXEC] = { 2100024, "Misc activity", { "mamori.net.share_executable",
	    "Program files written, run or deleted on a shared folder", ALERT_LOW, IR_DETECT,
	    { "A computer wrote, opened or deleted program files (such as .exe, .dll, .js or .ps1) in a shared folder on another computer.",
	      "ある機器が、別の機器の共有フォルダにあるプログラムファイル（.exe、.dll、.js、.ps1など）を書き込み、開き、または削除しました。" },
	    { "Installers kept on a share are ordinary. But ransomware and intruders copy their programs to shared folders to run them on other computers, and delete them afterwards to hide.",
	      "共有フォルダにインストーラを置くこと自体はよくあります。しかしランサムウェアや侵入者は、他の機器で実行するためにプログラムを共有フォルダへ置き、後で痕跡を消すために削除します。" },
	    { "Ask the user of the computer named in this alert whether they handled these files. If nobody did, or the files are unknown, unplug that computer's network cable, keep it on, and call your IT support.",
	      "アラートに示された機器の利用者に、これらのファイルを扱ったか確認してください。誰も心当たりがない、または見覚えのないファイルなら、その機器のLANケーブルを抜き、電源は入れたままでIT担当者に連絡してください。" } } },
	[R_REMOTE_EXEC] = { 2100025, "Attempted Administrator Privilege Gain", { "mamori.net.remote_exec",
	    "Program started remotely on another computer (PsExec-style)", ALERT_HIGH, IR_DETECT,
	    { "A computer copied a program into the hidden administrator share (such as ADMIN$ or C$) of another computer and then asked that computer's service manager to run it, the way PsExec works.",
	      "ある機器が、別の機器の管理者用の隠し共有（ADMIN$やC$など）にプログラムを書き込み、続けてその機器のサービス管理機能に実行させました（PsExecと同じ手口）。" },
	    { "This needs an administrator password and runs the program with full rights. IT staff sometimes do this on purpose, but ransomware gangs use exactly this to spread from one computer to all the others once they have stolen an administrator password.",
	      "これには管理者のパスワードが必要で、プログラムは最も強い権限で動きます。IT担当者が意図して行うこともありますが、ランサムウェア攻撃者は管理者のパスワードを盗んだ後、まさにこの方法で1台から他のすべての機器へ広がります。" },
	    { "Ask your IT support right now whether they ran a program on the computer named as the server. If nobody did, unplug the network cables of both computers named in this alert (keep them powered on), change the administrator passwords from a clean computer, and call your IT support or the IPA/JPCERT consultation desk.",
	      "サーバとして示された機器で、プログラムを実行したかどうか今すぐIT担当者に確認してください。誰も心当たりがなければ、このアラートに示された2台の機器のLANケーブルを抜き（電源は入れたまま）、感染していない別のパソコンから管理者のパスワードを変更し、IT担当者またはIPA・JPCERTの相談窓口に連絡してください。" } } },
};

const struct detect_rule *
detect_rule(enum detect_rule_id id)
{
	return (unsigned)id < R__COUNT ? &rules[id] : &rules[0];
}

static uint64_t
or_default(uint64_t v, uint64_t def)
{
	return v ? v : def;
}

int
detect_init(struct detect_state *d, const struct detect_conf *conf)
{
	memset(d, 0, sizeof(*d));
	if (conf)
		d->conf = *conf;
	struct detect_conf *c = &d->conf;
	c->port_scan_ports = (uint32_t)or_default(c->port_scan_ports, 50);
	c->host_scan_hosts = (uint32_t)or_default(c->host_scan_hosts, 30);
	c->dns_tunnel_queries = (uint32_t)or_default(c->dns_tunnel_queries, 20);
	c->icmp_tunnel_bytes = or_default(c->icmp_tunnel_bytes, 32768);
	c->beacon_min_connections = (uint32_t)or_default(c->beacon_min_connections, 8);
	if (c->beacon_min_connections > BEACON_TIMES)
		c->beacon_min_connections = BEACON_TIMES;
	c->beacon_min_interval_s = (uint32_t)or_default(c->beacon_min_interval_s, 10);
	c->beacon_max_jitter_pct = (uint32_t)or_default(c->beacon_max_jitter_pct, 10);
	c->outbound_bytes_per_hour = or_default(c->outbound_bytes_per_hour, 1024ULL << 20);
	c->smtp_servers_per_hour = (uint32_t)or_default(c->smtp_servers_per_hour, 5);
	c->c2_ip_connections = (uint32_t)or_default(c->c2_ip_connections, 2);
	c->tor_relays = (uint32_t)or_default(c->tor_relays, 2);
	c->kerberoast_services = (uint32_t)or_default(c->kerberoast_services, 1);
	c->zerologon_attempts = (uint32_t)or_default(c->zerologon_attempts, 3);
	d->scan = calloc(SCAN_SLOTS, sizeof(*d->scan));
	d->dnst = calloc(DNST_SLOTS, sizeof(*d->dnst));
	d->beacon = calloc(BEACON_SLOTS, sizeof(*d->beacon));
	d->upload = calloc(UPLOAD_SLOTS, sizeof(*d->upload));
	d->dns_seen = calloc(DNS_SEEN_SLOTS, sizeof(*d->dns_seen));
	d->smb_tree = calloc(SMB_TREE_SLOTS, sizeof(*d->smb_tree));
	d->rexec = calloc(REXEC_SLOTS, sizeof(*d->rexec));
	if (!d->scan || !d->dnst || !d->beacon || !d->upload || !d->dns_seen || !d->smb_tree ||
	    !d->rexec ||
	    window_init(&d->win, DETECT_WINDOW_ENTRIES) != 0) {
		detect_free(d);
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

void
detect_free(struct detect_state *d)
{
	free(d->scan);
	free(d->dnst);
	free(d->beacon);
	free(d->upload);
	free(d->dns_seen);
	free(d->smb_tree);
	free(d->rexec);
	window_release(&d->win);
	d->dns_seen = NULL;
	d->smb_tree = NULL;
	d->rexec = NULL;
	d->scan = NULL;
	d->dnst = NULL;
	d->beacon = NULL;
	d->upload = NULL;
}

double
detect_entropy(struct span s)
{
	unsigned cnt[256] = { 0 };
	if (s.len == 0)
		return 0;
	for (size_t i = 0; i < s.len; i++)
		cnt[(unsigned char)s.p[i]]++;
	double h = 0;
	for (int i = 0; i < 256; i++) {
		if (!cnt[i])
			continue;
		double q = (double)cnt[i] / (double)s.len;
		h -= q * log2(q);
	}
	return h;
}

struct span
detect_base_domain(struct span name)
{
	size_t dots[3] = { 0 }, nd = 0;
	if (name.len && name.p[name.len - 1] == '.')
		name.len--;
	for (size_t i = name.len; i-- > 0 && nd < 3;)
		if (name.p[i] == '.')
			dots[nd++] = i;
	if (nd == 0)
		return name;
	/* tld is after dots[0]; second label between dots[1] and dots[0] */
	size_t tld_len = name.len - dots[0] - 1;
	size_t second_start = nd >= 2 ? dots[1] + 1 : 0;
	size_t second_len = dots[0] - second_start;
	bool cc_sld = tld_len == 2 && second_len <= 3;	/* co.jp, ne.jp, com.au */
	size_t want = cc_sld ? 3 : 2;
	if (nd < want)
		return name;
	size_t start = dots[want - 1] + 1;
	return (struct span){ name.p + start, name.len - start };
}

bool
detect_outward(const struct flow *f)
{
	return ip_addr_is_private(&f->src) && !ip_addr_is_private(&f->dst) &&
	    !(f->dst.b[0] == 0xff) && !(ip_addr_is_v4(&f->dst) && f->dst.b[12] >= 224);
}

struct window_entry *
detect_window(struct sensor *s, enum detect_rule_id r, const struct ip_addr *a,
    const struct ip_addr *b)
{
	uint64_t h = window_hash(0x6d616d6f72690000ULL + (uint64_t)r,
	    (struct span){ (const char *)a->b, sizeof(a->b) });
	if (b)
		h = window_hash(h, (struct span){ (const char *)b->b, sizeof(b->b) });
	return window_get(&s->det.win, h ? h : 1);
}

size_t
detect_window_distinct(struct window_entry *e, int64_t now_ms, int64_t span_ms,
    const struct ip_addr *peer)
{
	if (!e)
		return 0;
	window_hit(e, now_ms, span_ms);
	return window_add_user(e, (uint32_t)window_hash(0,
	    (struct span){ (const char *)peer->b, sizeof(peer->b) }));
}

bool
detect_window_fire(struct window_entry *e, int64_t now_ms, int64_t span_ms)
{
	if (!e || (e->fired_ms && now_ms - e->fired_ms < span_ms))
		return false;
	e->fired_ms = now_ms ? now_ms : 1;
	return true;
}
