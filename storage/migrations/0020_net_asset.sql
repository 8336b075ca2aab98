-- 0020: devices the network sensor has seen on the office LAN (its "asset"
-- events): one row per tenant and MAC, the newest facts learnt about it.
-- Empty text means "not known"; times are unix milliseconds when stored.
CREATE TABLE net_assets (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	mac TEXT NOT NULL,                 -- "aa:bb:cc:dd:ee:ff"
	vendor TEXT NOT NULL DEFAULT '',   -- IEEE OUI registrant
	ip TEXT NOT NULL DEFAULT '',
	ipv6 TEXT NOT NULL DEFAULT '',
	hostname TEXT NOT NULL DEFAULT '',
	hostname_source TEXT NOT NULL DEFAULT '',  -- dhcp, mdns, llmnr, netbios
	dhcp_vendor_class TEXT NOT NULL DEFAULT '',
	sensor TEXT NOT NULL DEFAULT '',   -- the host whose sensor saw it last
	first_seen INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	UNIQUE (tenant_id, mac)
);
CREATE INDEX net_assets_recent ON net_assets(tenant_id, last_seen DESC);
