// A client nobody here wrote: the TypeScript SDK @hey-api/openapi-ts generated from
// /v1/openapi.json (./client, compiled with it by tsc) signs in with a session from the
// portal's sign-in form, searches the catalog, creates an application and finds it in the
// list. Prints what it saw as JSON; exits non-zero on any surprise.
import { client } from './client/client.gen';
import { createApplication, listApplications, searchApis } from './client';

declare const process: { argv: string[]; exit(code: number): never };

function check(ok: boolean, what: string): asserts ok {
  if (!ok) {
    console.error(what);
    process.exit(1);
  }
}

async function main(base: string): Promise<void> {
  const signedIn = await fetch(`${base}/api/login`, {
    method: 'POST',
    body: new URLSearchParams({ username: 'alice', password: 'stoa-demo', next: '/' }),
    redirect: 'manual',
  });
  const session = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('stoa_session='));
  check(session !== undefined, `no session after signing in: ${signedIn.status}`);
  client.setConfig({ baseUrl: base, headers: { cookie: session } });

  const found = await searchApis({ query: { q: 'weather' } });
  check(found.data !== undefined, `catalog: ${found.response?.status} ${JSON.stringify(found.error)}`);
  const slugs = found.data.entries.map((entry) => entry.slug);
  check(slugs.includes('weather-forecast'), `catalog: ${slugs}`);

  const created = await createApplication({ body: { name: 'Made by the TypeScript client', security_profile: 'api_key' } });
  check(created.data !== undefined, `create: ${created.response?.status} ${JSON.stringify(created.error)}`);
  const listed = await listApplications();
  check(listed.data !== undefined, `list: ${listed.response?.status}`);
  const id = created.data.id;
  check(listed.data.some((app) => app.id === id), `list: ${listed.data.map((app) => app.name)}`);

  console.log(JSON.stringify({ catalog: slugs, created: created.data.name, client_id: created.data.client_id }));
}

main(process.argv[2]).catch((e) => {
  console.error(e);
  process.exit(1);
});
