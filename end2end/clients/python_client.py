"""A client nobody here wrote: the Python package openapi-python-client generated from
/v1/openapi.json (its directory is argv[2], imported as `stoa_client`) signs in with a
session from the portal's sign-in form, searches the catalog, creates an application
and finds it in the list. Prints what it saw as JSON; exits non-zero on any surprise."""

import json
import sys

base, package_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, package_dir)

import httpx  # noqa: E402  (the generated client's own HTTP library)
from stoa_client import Client  # noqa: E402
from stoa_client.api.applications import create_application, list_applications  # noqa: E402
from stoa_client.api.catalog import search_apis  # noqa: E402
from stoa_client.models import AppDetail, CatalogResults, NewApplication  # noqa: E402

# The session: the sign-in form, as a browser without JavaScript posts it.
signed_in = httpx.post(
    f"{base}/api/login",
    data={"username": "alice", "password": "stoa-demo", "next": "/"},
    follow_redirects=False,
)
session = signed_in.cookies.get("stoa_session")
assert session, f"no session after signing in: {signed_in.status_code}"
client = Client(base_url=base, cookies={"stoa_session": session}, raise_on_unexpected_status=True)

found = search_apis.sync(client=client, q="weather")
assert isinstance(found, CatalogResults), found
slugs = [entry.slug for entry in found.entries]
assert "weather-forecast" in slugs, slugs

created = create_application.sync(
    client=client, body=NewApplication(name="Made by the Python client", security_profile="api_key")
)
assert isinstance(created, AppDetail), created
listed = list_applications.sync(client=client)
assert any(app.id == created.id for app in listed), [app.name for app in listed]

print(json.dumps({"catalog": slugs, "created": created.name, "client_id": created.client_id}))
