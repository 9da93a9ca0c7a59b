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
audit-previous = Previous
audit-next = Next
audit-page-of = Page { $page } of { $pages }
audit-error-invalid-date = Enter a date as YYYY-MM-DD.
audit-error-before-from = The end date must not be before the start date.
audit-error-invalid-number = Enter a whole number from 1.
audit-error-too-large = This number is too large.
