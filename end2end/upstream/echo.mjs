// An API for the browser tests' "Try it" journeys: a real HTTP server that answers every
// request with what it received, as JSON. Registered as an API's server by the tests.
//
//   node end2end/upstream/echo.mjs          (UPSTREAM_PORT, default 3190)
import { createServer } from 'node:http';

const port = Number(process.env.UPSTREAM_PORT ?? 3190);

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const body = JSON.stringify({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      request_id: req.headers['x-request-id'] ?? null,
      // Only the key's visible prefix: proof it came, without echoing a secret.
      api_key: (req.headers['x-api-key'] ?? '').slice(0, 14) || null,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
}).listen(port, '127.0.0.1');
