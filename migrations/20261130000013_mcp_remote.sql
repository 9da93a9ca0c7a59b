-- An MCP server's remote: the streamable-HTTP endpoint the gateway (`/gw/mcp/{server}`)
-- forwards to. Optional: a server without one is listed but cannot be called through STOA.
ALTER TABLE catalog_items ADD COLUMN remote_url text
    CHECK (remote_url IS NULL OR (kind = 'mcp' AND remote_url ~ '^https?://[^\s]+$'));
