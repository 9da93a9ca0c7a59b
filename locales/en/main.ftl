# Shell
skip-to-content = Skip to content
brand-tagline = Developer portal
nav-label = Main navigation
nav-home = Home
nav-sign-in = Sign in
footer-copyright = © STOA API management
footer-no-js = Every page works without JavaScript.
language-label = Language
language-apply = Apply
nav-sign-out = Sign out
loading = Loading…

# Errors
error-title = Error
error-hint = If this keeps happening, tell your platform team what you were doing and when.
error-back-home = Back to the home page
error-not-found = This page does not exist.
error-unauthorized = Please sign in to see this page.
error-forbidden = You are not allowed to see this page.
error-bad-request = The request could not be understood.
error-validation = Some fields need your attention.
error-conflict = Someone changed this in the meantime. Reload and try again.
error-too-many-requests = Too many attempts. Wait a moment and try again.
error-unavailable = A service we depend on is unavailable right now. Try again in a minute.
error-internal = Something went wrong on our side.
not-found-title = Page not found · STOA

# Home
home-title = STOA · Developer portal
home-eyebrow = API management, open by design
home-headline = Find an API, get a key, ship.
home-lead = Browse the APIs and MCP servers your organisation publishes, create an application, subscribe to a plan and watch your usage — in one place.
home-figures-label = Platform figures
home-figure-tenants = Active tenants
home-figure-events = Events processed
home-getting-started = Getting started
home-step-browse-title = Browse the catalog
home-step-browse-body = Search APIs and MCP servers by name, tag or category, and read their documentation.
home-step-app-title = Create an application
home-step-app-body = An application holds your credentials. Its key is shown once — keep it safe.
home-step-subscribe-title = Subscribe to a plan
home-step-subscribe-body = Free plans start at once; premium plans wait for the API owner's approval.

# Sign-in
login-title = Sign in · STOA
login-heading = Sign in
login-lead = Use your STOA account to manage applications, subscriptions and requests.
login-username = Username
login-password = Password
login-submit = Sign in
login-failed = Wrong username or password.
login-throttled = Too many failed attempts. Wait 15 minutes and try again.
login-demo-heading = Trying the demo?
login-demo-body = The demo tenant has one account per role: consumer, developer, tenant admin, platform admin and security auditor.

# Profile
profile-title = Your profile · STOA
profile-username = Username
profile-tenant = Tenant
profile-roles = Roles
profile-language = Preferred language
profile-language-help = Used for every page, and applied again each time you sign in.
profile-save = Save
role-viewer = API consumer
role-devops = API developer
role-tenant-admin = Tenant administrator
role-cpi-admin = Platform administrator
role-security = Security auditor
login-provider = Sign in with your organisation
login-provider-failed = Sign-in through your organisation did not complete. Please try again.
login-provider-tenant = Your organisation is not registered on this portal yet. Ask your administrator.
login-provider-conflict = This username already belongs to another account here. Ask your administrator.
nav-audit = Audit trail
audit-title = Audit trail · STOA
audit-heading = Audit trail
audit-lead = Who did what, and when. Entries are never changed or removed.
audit-filters = Filter the audit trail
audit-actor = Actor
audit-action = Action
audit-from = From
audit-to = To
audit-apply = Filter
audit-reset = Reset
audit-count = { $count ->
    [one] One entry
   *[other] { $count } entries
}
audit-empty = No audit entries match these filters.
audit-col-at = Time
audit-col-tenant = Tenant
audit-col-subject = Subject
audit-col-client = Client address
audit-pagination = Pages of the audit trail
pagination-previous = Previous
pagination-next = Next
pagination-page-of = Page { $page } of { $pages }
audit-error-invalid-date = Enter a date as YYYY-MM-DD.
audit-error-before-from = The end date must not be before the start date.
audit-error-invalid-number = Enter a whole number from 1.
audit-error-too-large = This number is too large.
nav-catalog = Catalog
catalog-title = Catalog · STOA
catalog-heading = API catalog
catalog-lead = APIs and MCP servers you can subscribe to, from every team on the platform.
catalog-search-label = Search
catalog-search-placeholder = Name, tag, operation…
catalog-sort = Sort by
catalog-sort-relevance = Relevance
catalog-sort-name = Name
catalog-sort-updated = Last update
catalog-search = Search
catalog-facets = Filters
catalog-clear-filters = Clear all filters
catalog-facet-type = Type
catalog-facet-category = Category
catalog-facet-tag = Tags
catalog-facet-audience = Audience
catalog-facet-auth = Authentication
catalog-count = { $count ->
    [one] One result
   *[other] { $count } results
}
catalog-no-results = Nothing matches this search. Try fewer or other words, or clear the filters.
catalog-empty = The catalog is empty for now: no API or MCP server has been published yet.
catalog-show-all = Show the whole catalog
catalog-pagination = Pages of results
kind-api = API
kind-mcp = MCP server
audience-public = Public
audience-internal = Internal
audience-partner = Partners
auth-none = No authentication
auth-api-key = API key
auth-oauth2 = OAuth 2
breadcrumb = Breadcrumb
api-requires-approval = Subscriptions need approval
api-versions = Versions
api-version = Version
api-status = Status
api-deployed-in = Deployed in
api-operations = Operations
api-download = Download the OpenAPI document
api-no-version = No version of this API is published yet.
api-status-published = Published
api-status-deprecated = Deprecated
api-status-retired = Retired
api-status-draft = Draft
api-parameters = Parameters
api-param-name = Name
api-param-in = In
api-param-type = Type
api-param-description = Description
api-request-body = Request body
api-responses = Responses
api-example = Example
api-required = required
mcp-tools = Tools
mcp-no-tools = This server offers no tools yet.
mcp-input = Input
mcp-no-input = No input.
mcp-schema = JSON Schema
api-operations-many = { $count } operations: choose one to see its parameters, request and responses.
nav-publish = Publish
env-dev = Development
env-staging = Staging
env-prod = Production
console-apis-title = Publishing · STOA
console-apis-heading = Your APIs and MCP servers
console-apis-lead = What your team publishes in the catalog: drafts, versions and where they run.
console-new-api = Publish an API
console-new-mcp = Publish an MCP server
console-empty = Your team has not published anything yet. Start with an OpenAPI document or an MCP server's tools.
console-edit = Edit
console-actions = Actions
console-publish = Publish
console-deploy = Deploy
console-environment = Environment
console-back = ← Back to your APIs
console-cancel = Cancel
console-tool-count = { $count ->
    [one] One tool
   *[other] { $count } tools
}
console-done-draft = Saved as a draft:
console-done-published = Published:
console-done-deployed = Deployed:
console-done-mcp-stored = MCP server published:
publish-api-lead = Paste or upload an OpenAPI 3.0 or 3.1 document (JSON or YAML, up to 10 MB). A new version is stored as a draft unless you publish it now.
publish-mcp-lead = Describe the server and paste its tools as MCP's tools/list returns them. Each tool's input schema is checked as JSON Schema.
publish-name = Name
publish-slug = Identifier in addresses
publish-slug-hint = Lowercase letters, digits and dashes. Left empty, it is made from the name.
publish-slug-edit-hint = Keep it to update this entry; a new identifier creates a new entry.
publish-description = Description
publish-description-hint = Markdown. Raw HTML is shown as text.
publish-category = Category
publish-category-hint = One word, for example payments.
publish-tags = Tags
publish-tags-hint = Separated by commas, at most 20.
publish-document = OpenAPI document
publish-document-hint = Paste it here, or choose a file below (a chosen file wins).
publish-document-file = …or upload the document
publish-tools = Tools (JSON)
publish-tools-hint = An array of tools, or {"{"} "tools": [...] {"}"}: name, description, inputSchema.
publish-tools-file = …or upload the tools file
publish-environments = Deploy this version to
publish-now = Publish now (otherwise it stays a draft only your team sees)
publish-submit-api = Store the version
publish-submit-mcp = Publish the server
publish-error-length-1-200 = Enter a name of 1 to 200 characters.
publish-error-invalid-slug = Use lowercase letters, digits and dashes, starting with a letter or digit.
publish-error-too-many-or-too-long = At most 20 tags of at most 40 characters.
publish-error-too-long = This text is too long.
publish-error-unknown-environment = Choose development, staging or production.
publish-error-invalid-document = This is not a valid OpenAPI 3.0 or 3.1 document:
publish-error-version-published = This version is already published and cannot be replaced; give the document a new info.version.
publish-error-version-retired = This version is retired.
publish-error-no-tools = Declare at least one tool.
publish-error-invalid-tools = These tools are not valid:
publish-error-slug-taken = Another team already uses this identifier for an MCP server.
publish-error-too-large = The document is larger than 10 MB.
publish-error-not-text = The file is not UTF-8 text (JSON or YAML).
tryit-heading = Try it
tryit-sign-in = Sign in to try this operation.
tryit-not-deployed = This version runs nowhere yet: there is no server to call.
tryit-note = The portal's server sends this request to the server registered for the environment and shows the answer. Parameters and answers are never logged.
tryit-send = Send the request
tryit-answer = Answer
tryit-status = HTTP { $status }
tryit-latency = { $ms } ms
tryit-headers = Headers
tryit-truncated = The answer was longer than 256 KB; only its beginning is shown.
tryit-error-unknown-operation = This operation is not in this version of the API.
tryit-error-not-deployed = This version is not deployed in that environment.
tryit-error-missing-parameter = Fill in every path parameter.
tryit-error-outside-servers = That request would leave the API's registered server, so it was not sent.
tryit-error-private-address = The server's address is private or internal; the portal does not call such addresses.
tryit-error-no-such-host = The server's host name could not be resolved.
tryit-error-too-large = The request body is larger than 256 KB.
tryit-error-unreachable = The server could not be reached.
tryit-error-timeout = The server did not answer within 10 seconds.
tryit-error-bad-header = One of the headers cannot be set here (the portal sets it, or its value is not valid).
nav-apps = Applications
apps-title = Applications · STOA
apps-heading = Your applications
apps-lead = An application holds the credentials your code uses to call APIs, and its subscriptions.
apps-new = New application
apps-deleted = The application was deleted; its keys and subscriptions were revoked.
apps-empty = You have no application yet. Create one to get an API key.
apps-profile = Security profile
apps-profile-api_key = API key
apps-profile-oauth2_confidential = OAuth2 confidential client
apps-credential-count = { $count ->
    [one] one credential
   *[other] { $count } credentials
}
apps-back = ← Back to your applications
apps-client-id = Client id:
apps-details = Details
apps-redirect-uris = Redirect URIs
apps-redirect-hint = One per line: https, or http on localhost for development. Required for OAuth2 clients.
apps-save = Save
apps-create = Create the application
apps-revoked = The credential was revoked: it no longer works.
apps-credentials = Credentials
apps-no-credentials = No credential yet.
apps-new-key = Create an API key
apps-new-secret = Create a client secret
apps-expires-in = Expires after (days)
apps-never = never
apps-issued-heading = Your new secret
apps-issued-once = Copy it now and keep it somewhere safe: it is shown only this once, we keep only a fingerprint of it.
apps-issued-grace = The previous secret keeps working until { $until }.
apps-status-active = active
apps-status-rotated = replaced
apps-status-revoked = revoked
apps-status-expired = expired
apps-status-grace = replaced, still valid until { $until }
apps-grace-hours = Grace (hours)
apps-rotate = Rotate
apps-revoke = Revoke…
apps-revoke-confirm = Revoke this credential now? Calls using it will fail at once.
apps-revoke-yes = Revoke
apps-delete = Delete the application
apps-delete-lead = Its credentials stop working and its subscriptions are revoked.
apps-delete-confirm = Delete “{ $name }” for good?
apps-delete-yes = Delete
apps-error-length-1-100 = Enter a name of 1 to 100 characters.
apps-error-too-long = This text is too long.
apps-error-unknown-profile = Choose API key or OAuth2 confidential client.
apps-error-too-many = At most 10 redirect URIs.
apps-error-invalid-uri = This redirect URI must be https (or http on localhost), without a fragment:
apps-error-required-for-oauth2 = An OAuth2 client needs at least one redirect URI.
apps-error-name-taken = You already have an application with this name.
apps-error-out-of-range = Enter a number of days from 1 to 3650, or leave it empty.
tryit-application = Credential from
tryit-no-application = No credential
tryit-no-apps = Create an application to call this API with its key.
tryit-error-no-application = That application is not one of yours.
tryit-with-credential = Sent with a key of your application, valid for five minutes.
plans-heading = Plans
plans-per-second = Requests per second:
plans-per-minute = Requests per minute:
plans-per-day = Requests per day:
plans-per-month = Requests per month:
plans-approval = A subscription is reviewed by the API team first.
plans-instant = A subscription is active at once.
nav-subscriptions = Subscriptions
sub-heading = Subscribe
sub-sign-in = Sign in to subscribe
sub-not-allowed = Your role cannot subscribe applications.
sub-need-app = Subscriptions belong to an application: create one first.
sub-application = Application
sub-plan = Plan
sub-tools = Tools
sub-ttl = End after (days)
sub-ttl-hint = Optional. Leave empty for a subscription without an end; you can extend one later within the plan’s limit.
sub-submit = Subscribe
sub-list-heading = Subscriptions
sub-list-empty = This application subscribes to nothing yet. Choose an API or MCP server in the
sub-done-active = Subscribed: the subscription is active.
sub-done-pending = Requested: the API team reviews it, you will be notified of their decision.
sub-done-cancelled = The subscription was cancelled.
sub-done-extended = The subscription was extended.
sub-ends = ends { $date }
sub-reason = Reason:
sub-extend-days = Extend by (days)
sub-extend = Extend
sub-cancel = Cancel subscription…
sub-cancel-confirm = Cancel this subscription? Calls will be refused at once.
sub-cancel-yes = Cancel subscription
sub-state-pending = pending approval
sub-state-active = active
sub-state-rejected = rejected
sub-state-suspended = suspended
sub-state-revoked = revoked
sub-state-expired = expired
sub-state-cancelled = cancelled
sub-error-choose-application = Choose one of your applications.
sub-error-unknown-application = That application is not one of yours.
sub-error-choose-plan = Choose a plan.
sub-error-unknown-plan = This plan is not offered (any more).
sub-error-already-subscribed = This application already has a subscription to this plan (active or waiting for approval).
sub-error-choose-tools = Choose at least one tool.
sub-error-unknown-tool = This server has no such tool:
sub-error-ttl-out-of-range = Enter a number of days from 1 to the plan’s limit, or leave it empty. Limit (days):
sub-error-reason-too-short = Give a reason of at least 10 characters: the subscriber reads it.
sub-error-choose-subscriptions = Tick at least one subscription.
sub-error-already-decided = Someone decided on this subscription already; the list shows where it stands now.
sub-error-beyond-plan = That would go beyond the plan’s longest subscription. Limit (days from today):
queue-title = Subscriptions · STOA console
queue-heading = Subscription requests
queue-lead = { $count ->
    [0] Nothing waits for your decision.
    [one] One request waits for your decision.
   *[other] { $count } requests wait for your decision.
}
queue-filter = Filter by state
queue-empty = No subscription in this state.
queue-select = Select
queue-col-entry = API or MCP server
queue-col-subscriber = Application and subscriber
queue-col-state = State
queue-col-actions = Decision
queue-approve = Approve
queue-reject = Reject
queue-reason = Reason (at least 10 characters to reject)
queue-suspend = Suspend
queue-reactivate = Reactivate
queue-revoke = Revoke
queue-revoke-confirm = Revoke this subscription for good?
queue-bulk = With the ticked requests:
queue-approve-selected = Approve selected
queue-reject-selected = Reject selected
queue-done = { $action }: { $count ->
    [one] one subscription.
   *[other] { $count } subscriptions.
}
queue-skipped = { $count ->
    [one] One was decided by someone else first and left as it was.
   *[other] { $count } were decided by someone else first and left as they were.
}
queue-action-approve = Approved
queue-action-reject = Rejected
queue-action-suspend = Suspended
queue-action-reactivate = Reactivated
queue-action-revoke = Revoked
notif-title = Notifications · STOA
notif-heading = Notifications
notif-unread = { $count ->
    [0] Everything is read.
    [one] One unread notification.
   *[other] { $count } unread notifications.
}
notif-bell = { $count ->
    [0] Notifications
    [one] Notifications: one unread
   *[other] Notifications: { $count } unread
}
notif-empty = No notification yet. Decisions on your subscription requests will appear here.
notif-new = New:
notif-open = Open
notif-mark-read = Mark read
notif-mark-all = Mark all read
notif-marked = { $count ->
    [one] One notification marked read.
   *[other] { $count } notifications marked read.
}
notif-pagination = Notification pages
notif-subscription-pending = A subscription request waits for your decision
notif-subscription-approved = Your subscription was approved
notif-subscription-rejected = Your subscription request was rejected
notif-subscription-suspended = Your subscription was suspended
notif-subscription-reactivated = Your subscription was reactivated
notif-subscription-revoked = Your subscription was revoked
notif-subscription-expired = Your subscription has expired
notif-subscription-expiring = Your subscription ends within three days
