// The official MCP TypeScript SDK's client, as an MCP user's tool would use it: connect
// to a server through STOA's gateway with an API key and list its tools.
// Usage: node end2end/mcp/list-tools.mjs <gateway MCP URL> <API key>; prints the tool
// names as a JSON array (server/tests/api/trust.rs reads it).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, key] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { 'X-API-Key': key } },
});
const client = new Client({ name: 'stoa-trust-test', version: '1.0.0' });
await client.connect(transport);
const { tools } = await client.listTools();
console.log(JSON.stringify(tools.map((t) => t.name)));
await client.close();
