# Shell
skip-to-content = Zum Inhalt springen
brand-tagline = Entwicklerportal
nav-label = Hauptnavigation
nav-home = Startseite
nav-sign-in = Anmelden
footer-copyright = © STOA API-Management
footer-no-js = Jede Seite funktioniert ohne JavaScript.
language-label = Sprache
language-apply = Übernehmen
nav-sign-out = Abmelden
loading = Wird geladen…

# Errors
error-title = Fehler
error-hint = Wenn das wieder passiert, sagen Sie Ihrem Plattform-Team, was Sie wann getan haben.
error-back-home = Zurück zur Startseite
error-not-found = Diese Seite gibt es nicht.
error-unauthorized = Bitte melden Sie sich an, um diese Seite zu sehen.
error-forbidden = Sie dürfen diese Seite nicht sehen.
error-bad-request = Die Anfrage konnte nicht verstanden werden.
error-validation = Einige Felder brauchen Ihre Aufmerksamkeit.
error-conflict = Jemand hat dies inzwischen geändert. Laden Sie neu und versuchen Sie es erneut.
error-too-many-requests = Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es erneut.
error-unavailable = Ein Dienst, von dem wir abhängen, ist gerade nicht erreichbar. Versuchen Sie es in einer Minute erneut.
error-internal = Bei uns ist etwas schiefgelaufen.
not-found-title = Seite nicht gefunden · STOA

# Home
home-title = STOA · Entwicklerportal
home-eyebrow = API-Management, offen gedacht
home-headline = API finden, Schlüssel holen, loslegen.
home-lead = Durchsuchen Sie die APIs und MCP-Server Ihrer Organisation, legen Sie eine Anwendung an, abonnieren Sie einen Plan und behalten Sie Ihre Nutzung im Blick — an einem Ort.
home-figures-label = Kennzahlen der Plattform
home-figure-tenants = Aktive Mandanten
home-figure-events = Verarbeitete Ereignisse
home-getting-started = Erste Schritte
home-step-browse-title = Katalog durchsuchen
home-step-browse-body = Suchen Sie APIs und MCP-Server nach Name, Tag oder Kategorie und lesen Sie ihre Dokumentation.
home-step-app-title = Anwendung anlegen
home-step-app-body = Eine Anwendung hält Ihre Zugangsdaten. Ihr Schlüssel wird nur einmal angezeigt – bewahren Sie ihn gut auf.
home-step-subscribe-title = Plan abonnieren
home-step-subscribe-body = Kostenlose Pläne starten sofort; Premium-Pläne warten auf die Freigabe durch den API-Verantwortlichen.

# Sign-in
login-title = Anmelden · STOA
login-heading = Anmelden
login-lead = Mit Ihrem STOA-Konto verwalten Sie Anwendungen, Abonnements und Anträge.
login-username = Benutzername
login-password = Passwort
login-submit = Anmelden
login-failed = Benutzername oder Passwort ist falsch.
login-throttled = Zu viele fehlgeschlagene Versuche. Warten Sie 15 Minuten und versuchen Sie es erneut.
login-demo-heading = Sie probieren die Demo aus?
login-demo-body = Der Demo-Mandant hat ein Konto pro Rolle: Nutzer, Entwickler, Mandanten-Admin, Plattform-Admin und Sicherheitsprüfer.

# Profile
profile-title = Ihr Profil · STOA
profile-username = Benutzername
profile-tenant = Mandant
profile-roles = Rollen
profile-language = Bevorzugte Sprache
profile-language-help = Gilt für jede Seite und wird bei jeder Anmeldung erneut angewendet.
profile-save = Speichern
role-viewer = API-Nutzer
role-devops = API-Entwickler
role-tenant-admin = Mandanten-Administrator
role-cpi-admin = Plattform-Administrator
role-security = Sicherheitsprüfer
login-provider = Mit Ihrer Organisation anmelden
login-provider-failed = Die Anmeldung über Ihre Organisation wurde nicht abgeschlossen. Bitte versuchen Sie es erneut.
login-provider-tenant = Ihre Organisation ist in diesem Portal noch nicht registriert. Wenden Sie sich an Ihre Administration.
login-provider-conflict = Dieser Benutzername gehört hier bereits zu einem anderen Konto. Wenden Sie sich an Ihre Administration.
nav-audit = Audit-Protokoll
audit-title = Audit-Protokoll · STOA
audit-heading = Audit-Protokoll
audit-lead = Wer hat was wann getan. Einträge werden nie geändert oder gelöscht.
audit-filters = Audit-Protokoll filtern
audit-actor = Akteur
audit-action = Aktion
audit-from = Von
audit-to = Bis
audit-apply = Filtern
audit-reset = Zurücksetzen
audit-count = { $count ->
    [one] Ein Eintrag
   *[other] { $count } Einträge
}
audit-empty = Keine Einträge entsprechen diesen Filtern.
audit-col-at = Zeitpunkt
audit-col-tenant = Mandant
audit-col-subject = Betreff
audit-col-client = Client-Adresse
audit-pagination = Seiten des Audit-Protokolls
audit-previous = Zurück
audit-next = Weiter
audit-page-of = Seite { $page } von { $pages }
audit-error-invalid-date = Geben Sie ein Datum im Format JJJJ-MM-TT ein.
audit-error-before-from = Das Enddatum darf nicht vor dem Startdatum liegen.
audit-error-invalid-number = Geben Sie eine ganze Zahl ab 1 ein.
audit-error-too-large = Diese Zahl ist zu groß.
