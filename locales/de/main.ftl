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
pagination-previous = Zurück
pagination-next = Weiter
pagination-page-of = Seite { $page } von { $pages }
audit-error-invalid-date = Geben Sie ein Datum im Format JJJJ-MM-TT ein.
audit-error-before-from = Das Enddatum darf nicht vor dem Startdatum liegen.
audit-error-invalid-number = Geben Sie eine ganze Zahl ab 1 ein.
audit-error-too-large = Diese Zahl ist zu groß.
nav-catalog = Katalog
catalog-title = Katalog · STOA
catalog-heading = API-Katalog
catalog-lead = APIs und MCP-Server aller Teams der Plattform, die Sie abonnieren können.
catalog-search-label = Suche
catalog-search-placeholder = Name, Schlagwort, Operation…
catalog-sort = Sortieren nach
catalog-sort-relevance = Relevanz
catalog-sort-name = Name
catalog-sort-updated = Letzte Änderung
catalog-search = Suchen
catalog-facets = Filter
catalog-clear-filters = Alle Filter entfernen
catalog-facet-type = Typ
catalog-facet-category = Kategorie
catalog-facet-tag = Schlagwörter
catalog-facet-audience = Zielgruppe
catalog-facet-auth = Authentifizierung
catalog-count = { $count ->
    [one] Ein Ergebnis
   *[other] { $count } Ergebnisse
}
catalog-no-results = Nichts passt zu dieser Suche. Versuchen Sie weniger oder andere Wörter, oder entfernen Sie die Filter.
catalog-empty = Der Katalog ist noch leer: Es wurde noch keine API und kein MCP-Server veröffentlicht.
catalog-show-all = Ganzen Katalog anzeigen
catalog-pagination = Ergebnisseiten
kind-api = API
kind-mcp = MCP-Server
audience-public = Öffentlich
audience-internal = Intern
audience-partner = Partner
auth-none = Ohne Authentifizierung
auth-api-key = API-Schlüssel
auth-oauth2 = OAuth 2
breadcrumb = Brotkrümelnavigation
api-requires-approval = Abonnements müssen genehmigt werden
api-versions = Versionen
api-version = Version
api-status = Status
api-deployed-in = Bereitgestellt in
api-operations = Operationen
api-download = OpenAPI-Dokument herunterladen
api-no-version = Von dieser API ist noch keine Version veröffentlicht.
api-status-published = Veröffentlicht
api-status-deprecated = Veraltet
api-status-retired = Eingestellt
api-status-draft = Entwurf
api-parameters = Parameter
api-param-name = Name
api-param-in = Ort
api-param-type = Typ
api-param-description = Beschreibung
api-request-body = Anfragekörper
api-responses = Antworten
api-example = Beispiel
api-required = erforderlich
mcp-tools = Werkzeuge
mcp-no-tools = Dieser Server bietet noch keine Werkzeuge an.
mcp-input = Eingabe
mcp-no-input = Keine Eingabe.
mcp-schema = JSON-Schema
api-operations-many = { $count } Operationen: Wählen Sie eine, um Parameter, Anfrage und Antworten zu sehen.
nav-publish = Veröffentlichen
env-dev = Entwicklung
env-staging = Staging
env-prod = Produktion
console-apis-title = Veröffentlichen · STOA
console-apis-heading = Ihre APIs und MCP-Server
console-apis-lead = Was Ihr Team im Katalog veröffentlicht: Entwürfe, Versionen und wo sie laufen.
console-new-api = API veröffentlichen
console-new-mcp = MCP-Server veröffentlichen
console-empty = Ihr Team hat noch nichts veröffentlicht. Beginnen Sie mit einem OpenAPI-Dokument oder den Tools eines MCP-Servers.
console-edit = Bearbeiten
console-actions = Aktionen
console-publish = Veröffentlichen
console-deploy = Bereitstellen
console-environment = Umgebung
console-back = ← Zurück zu Ihren APIs
console-cancel = Abbrechen
console-tool-count = { $count ->
    [one] Ein Tool
   *[other] { $count } Tools
}
console-done-draft = Als Entwurf gespeichert:
console-done-published = Veröffentlicht:
console-done-deployed = Bereitgestellt:
console-done-mcp-stored = MCP-Server veröffentlicht:
publish-api-lead = Fügen Sie ein OpenAPI-3.0- oder -3.1-Dokument ein oder laden Sie es hoch (JSON oder YAML, bis 10 MB). Eine neue Version bleibt ein Entwurf, sofern Sie sie nicht gleich veröffentlichen.
publish-mcp-lead = Beschreiben Sie den Server und fügen Sie seine Tools so ein, wie tools/list sie liefert. Das Eingabeschema jedes Tools wird als JSON Schema geprüft.
publish-name = Name
publish-slug = Kennung in Adressen
publish-slug-hint = Kleinbuchstaben, Ziffern und Bindestriche. Leer gelassen, wird sie aus dem Namen gebildet.
publish-slug-edit-hint = Behalten Sie sie, um diesen Eintrag zu ändern; eine neue Kennung legt einen neuen Eintrag an.
publish-description = Beschreibung
publish-description-hint = Markdown. Rohes HTML wird als Text angezeigt.
publish-category = Kategorie
publish-category-hint = Ein Wort, zum Beispiel payments.
publish-tags = Schlagwörter
publish-tags-hint = Durch Kommas getrennt, höchstens 20.
publish-document = OpenAPI-Dokument
publish-document-hint = Hier einfügen oder unten eine Datei wählen (die Datei hat Vorrang).
publish-document-file = …oder das Dokument hochladen
publish-tools = Tools (JSON)
publish-tools-hint = Ein Array von Tools oder {"{"} "tools": [...] {"}"}: name, description, inputSchema.
publish-tools-file = …oder die Tool-Datei hochladen
publish-environments = Diese Version bereitstellen in
publish-now = Jetzt veröffentlichen (sonst bleibt sie ein Entwurf, den nur Ihr Team sieht)
publish-submit-api = Version speichern
publish-submit-mcp = Server veröffentlichen
publish-error-length-1-200 = Geben Sie einen Namen mit 1 bis 200 Zeichen ein.
publish-error-invalid-slug = Verwenden Sie Kleinbuchstaben, Ziffern und Bindestriche, beginnend mit Buchstabe oder Ziffer.
publish-error-too-many-or-too-long = Höchstens 20 Schlagwörter mit höchstens 40 Zeichen.
publish-error-too-long = Dieser Text ist zu lang.
publish-error-unknown-environment = Wählen Sie Entwicklung, Staging oder Produktion.
publish-error-invalid-document = Dies ist kein gültiges OpenAPI-3.0- oder -3.1-Dokument:
publish-error-version-published = Diese Version ist bereits veröffentlicht und kann nicht ersetzt werden; geben Sie dem Dokument eine neue info.version.
publish-error-version-retired = Diese Version ist außer Betrieb.
publish-error-no-tools = Deklarieren Sie mindestens ein Tool.
publish-error-invalid-tools = Diese Tools sind ungültig:
publish-error-slug-taken = Ein anderes Team verwendet diese Kennung bereits für einen MCP-Server.
publish-error-too-large = Das Dokument ist größer als 10 MB.
publish-error-not-text = Die Datei ist kein UTF-8-Text (JSON oder YAML).
tryit-heading = Ausprobieren
tryit-sign-in = Melden Sie sich an, um diese Operation auszuprobieren.
tryit-not-deployed = Diese Version läuft noch nirgends: Es gibt keinen Server zum Aufrufen.
tryit-note = Der Server des Portals sendet diese Anfrage an den für die Umgebung registrierten Server und zeigt die Antwort. Parameter und Antworten werden nie protokolliert.
tryit-send = Anfrage senden
tryit-answer = Antwort
tryit-status = HTTP { $status }
tryit-latency = { $ms } ms
tryit-headers = Header
tryit-truncated = Die Antwort war länger als 256 KB; nur ihr Anfang wird angezeigt.
tryit-error-unknown-operation = Diese Operation gibt es in dieser Version der API nicht.
tryit-error-not-deployed = Diese Version ist in dieser Umgebung nicht bereitgestellt.
tryit-error-missing-parameter = Füllen Sie jeden Pfadparameter aus.
tryit-error-outside-servers = Diese Anfrage würde den registrierten Server der API verlassen und wurde nicht gesendet.
tryit-error-private-address = Die Adresse des Servers ist privat oder intern; solche Adressen ruft das Portal nicht auf.
tryit-error-no-such-host = Der Hostname des Servers konnte nicht aufgelöst werden.
tryit-error-too-large = Der Anfragetext ist größer als 256 KB.
tryit-error-unreachable = Der Server ist nicht erreichbar.
tryit-error-timeout = Der Server hat nicht innerhalb von 10 Sekunden geantwortet.
tryit-error-bad-header = Einer der Header kann hier nicht gesetzt werden (das Portal setzt ihn, oder sein Wert ist ungültig).
nav-apps = Anwendungen
apps-title = Anwendungen · STOA
apps-heading = Ihre Anwendungen
apps-lead = Eine Anwendung hält die Zugangsdaten, mit denen Ihr Code APIs aufruft, und ihre Abonnements.
apps-new = Neue Anwendung
apps-deleted = Die Anwendung wurde gelöscht; ihre Schlüssel und Abonnements wurden widerrufen.
apps-empty = Sie haben noch keine Anwendung. Legen Sie eine an, um einen API-Schlüssel zu erhalten.
apps-profile = Sicherheitsprofil
apps-profile-api_key = API-Schlüssel
apps-profile-oauth2_confidential = Vertraulicher OAuth2-Client
apps-credential-count = { $count ->
    [one] ein Zugangsdatum
   *[other] { $count } Zugangsdaten
}
apps-back = ← Zurück zu Ihren Anwendungen
apps-client-id = Client-ID:
apps-details = Details
apps-redirect-uris = Redirect-URIs
apps-redirect-hint = Eine pro Zeile: https, oder http auf localhost für die Entwicklung. Pflicht für OAuth2-Clients.
apps-save = Speichern
apps-create = Anwendung anlegen
apps-revoked = Das Zugangsdatum wurde widerrufen: Es funktioniert nicht mehr.
apps-credentials = Zugangsdaten
apps-no-credentials = Noch keine Zugangsdaten.
apps-new-key = API-Schlüssel erzeugen
apps-new-secret = Client-Secret erzeugen
apps-expires-in = Läuft ab nach (Tagen)
apps-never = nie
apps-issued-heading = Ihr neues Secret
apps-issued-once = Kopieren Sie es jetzt und bewahren Sie es sicher auf: Es wird nur dieses eine Mal angezeigt, wir speichern nur einen Fingerabdruck.
apps-issued-grace = Das vorherige Secret funktioniert noch bis { $until }.
apps-status-active = aktiv
apps-status-rotated = ersetzt
apps-status-revoked = widerrufen
apps-status-expired = abgelaufen
apps-status-grace = ersetzt, gültig bis { $until }
apps-grace-hours = Übergangsfrist (Stunden)
apps-rotate = Erneuern
apps-revoke = Widerrufen…
apps-revoke-confirm = Dieses Zugangsdatum jetzt widerrufen? Aufrufe damit schlagen sofort fehl.
apps-revoke-yes = Widerrufen
apps-delete = Anwendung löschen
apps-delete-lead = Ihre Zugangsdaten hören auf zu funktionieren und ihre Abonnements werden widerrufen.
apps-delete-confirm = „{ $name }“ endgültig löschen?
apps-delete-yes = Löschen
apps-error-length-1-100 = Geben Sie einen Namen mit 1 bis 100 Zeichen ein.
apps-error-too-long = Dieser Text ist zu lang.
apps-error-unknown-profile = Wählen Sie API-Schlüssel oder vertraulichen OAuth2-Client.
apps-error-too-many = Höchstens 10 Redirect-URIs.
apps-error-invalid-uri = Diese Redirect-URI muss https sein (oder http auf localhost), ohne Fragment:
apps-error-required-for-oauth2 = Ein OAuth2-Client braucht mindestens eine Redirect-URI.
apps-error-name-taken = Sie haben bereits eine Anwendung mit diesem Namen.
apps-error-out-of-range = Geben Sie 1 bis 3650 Tage ein oder lassen Sie das Feld leer.
tryit-application = Zugangsdaten von
tryit-no-application = Keine Zugangsdaten
tryit-no-apps = Legen Sie eine Anwendung an, um diese API mit ihrem Schlüssel aufzurufen.
tryit-error-no-application = Diese Anwendung gehört nicht Ihnen.
tryit-with-credential = Mit einem fünf Minuten gültigen Schlüssel Ihrer Anwendung gesendet.
plans-heading = Tarife
plans-per-second = Anfragen pro Sekunde:
plans-per-minute = Anfragen pro Minute:
plans-per-day = Anfragen pro Tag:
plans-per-month = Anfragen pro Monat:
plans-approval = Ein Abonnement prüft zuerst das API-Team.
plans-instant = Ein Abonnement ist sofort aktiv.
nav-subscriptions = Abonnements
sub-heading = Abonnieren
sub-sign-in = Melden Sie sich an, um zu abonnieren
sub-not-allowed = Ihre Rolle darf keine Anwendungen abonnieren.
sub-need-app = Abonnements gehören zu einer Anwendung: Legen Sie zuerst eine an.
sub-application = Anwendung
sub-plan = Tarif
sub-tools = Werkzeuge
sub-ttl = Ende nach (Tagen)
sub-ttl-hint = Optional. Leer lassen für ein Abonnement ohne Ende; Sie können es später im Rahmen des Tarifs verlängern.
sub-submit = Abonnieren
sub-list-heading = Abonnements
sub-list-empty = Diese Anwendung hat noch kein Abonnement. Wählen Sie eine API oder einen MCP-Server im
sub-done-active = Abonniert: Das Abonnement ist aktiv.
sub-done-pending = Angefragt: Das API-Team prüft die Anfrage, Sie werden über die Entscheidung benachrichtigt.
sub-done-cancelled = Das Abonnement wurde gekündigt.
sub-done-extended = Das Abonnement wurde verlängert.
sub-ends = endet am { $date }
sub-reason = Begründung:
sub-extend-days = Verlängern um (Tage)
sub-extend = Verlängern
sub-cancel = Abonnement kündigen…
sub-cancel-confirm = Dieses Abonnement kündigen? Aufrufe werden sofort abgewiesen.
sub-cancel-yes = Abonnement kündigen
sub-state-pending = wartet auf Freigabe
sub-state-active = aktiv
sub-state-rejected = abgelehnt
sub-state-suspended = ausgesetzt
sub-state-revoked = widerrufen
sub-state-expired = abgelaufen
sub-state-cancelled = gekündigt
sub-error-choose-application = Wählen Sie eine Ihrer Anwendungen.
sub-error-unknown-application = Diese Anwendung gehört nicht Ihnen.
sub-error-choose-plan = Wählen Sie einen Tarif.
sub-error-unknown-plan = Dieser Tarif wird nicht (mehr) angeboten.
sub-error-already-subscribed = Diese Anwendung hat bereits ein Abonnement dieses Tarifs (aktiv oder wartend).
sub-error-choose-tools = Wählen Sie mindestens ein Werkzeug.
sub-error-unknown-tool = Dieser Server hat kein solches Werkzeug:
sub-error-ttl-out-of-range = Geben Sie eine Anzahl Tage zwischen 1 und der Grenze des Tarifs ein, oder lassen Sie das Feld leer. Grenze (Tage):
sub-error-reason-too-short = Geben Sie eine Begründung von mindestens 10 Zeichen an: Der Abonnent liest sie.
sub-error-choose-subscriptions = Wählen Sie mindestens ein Abonnement aus.
sub-error-already-decided = Über dieses Abonnement hat bereits jemand entschieden; die Liste zeigt den aktuellen Stand.
sub-error-beyond-plan = Das ginge über die längste Laufzeit des Tarifs hinaus. Grenze (Tage ab heute):
queue-title = Abonnements · STOA-Konsole
queue-heading = Abonnement-Anfragen
queue-lead = { $count ->
    [0] Nichts wartet auf Ihre Entscheidung.
    [one] Eine Anfrage wartet auf Ihre Entscheidung.
   *[other] { $count } Anfragen warten auf Ihre Entscheidung.
}
queue-filter = Nach Status filtern
queue-empty = Kein Abonnement in diesem Status.
queue-select = Auswählen
queue-col-entry = API oder MCP-Server
queue-col-subscriber = Anwendung und Abonnent
queue-col-state = Status
queue-col-actions = Entscheidung
queue-approve = Freigeben
queue-reject = Ablehnen
queue-reason = Begründung (mindestens 10 Zeichen zum Ablehnen)
queue-suspend = Aussetzen
queue-reactivate = Reaktivieren
queue-revoke = Widerrufen
queue-revoke-confirm = Dieses Abonnement endgültig widerrufen?
queue-bulk = Für die ausgewählten Anfragen:
queue-approve-selected = Auswahl freigeben
queue-reject-selected = Auswahl ablehnen
queue-done = { $action }: { $count ->
    [one] ein Abonnement.
   *[other] { $count } Abonnements.
}
queue-skipped = { $count ->
    [one] Über eines hatte bereits jemand anderes entschieden; es blieb unverändert.
   *[other] Über { $count } hatte bereits jemand anderes entschieden; sie blieben unverändert.
}
queue-action-approve = Freigegeben
queue-action-reject = Abgelehnt
queue-action-suspend = Ausgesetzt
queue-action-reactivate = Reaktiviert
queue-action-revoke = Widerrufen
notif-title = Benachrichtigungen · STOA
notif-heading = Benachrichtigungen
notif-unread = { $count ->
    [0] Alles gelesen.
    [one] Eine ungelesene Benachrichtigung.
   *[other] { $count } ungelesene Benachrichtigungen.
}
notif-bell = { $count ->
    [0] Benachrichtigungen
    [one] Benachrichtigungen: eine ungelesen
   *[other] Benachrichtigungen: { $count } ungelesen
}
notif-empty = Noch keine Benachrichtigung. Entscheidungen über Ihre Abonnement-Anfragen erscheinen hier.
notif-new = Neu:
notif-open = Öffnen
notif-mark-read = Als gelesen markieren
notif-mark-all = Alle als gelesen markieren
notif-marked = { $count ->
    [one] Eine Benachrichtigung als gelesen markiert.
   *[other] { $count } Benachrichtigungen als gelesen markiert.
}
notif-pagination = Seiten der Benachrichtigungen
notif-subscription-pending = Eine Abonnement-Anfrage wartet auf Ihre Entscheidung
notif-subscription-approved = Ihr Abonnement wurde freigegeben
notif-subscription-rejected = Ihre Abonnement-Anfrage wurde abgelehnt
notif-subscription-suspended = Ihr Abonnement wurde ausgesetzt
notif-subscription-reactivated = Ihr Abonnement wurde reaktiviert
notif-subscription-revoked = Ihr Abonnement wurde widerrufen
notif-subscription-expired = Ihr Abonnement ist abgelaufen
notif-subscription-expiring = Ihr Abonnement endet in weniger als drei Tagen
