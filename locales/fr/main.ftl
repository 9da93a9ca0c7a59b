# Shell
skip-to-content = Aller au contenu
brand-tagline = Portail développeurs
nav-label = Navigation principale
nav-home = Accueil
nav-sign-in = Se connecter
footer-copyright = © STOA gestion d’API
footer-no-js = Chaque page fonctionne sans JavaScript.
language-label = Langue
language-apply = Appliquer
nav-sign-out = Se déconnecter
loading = Chargement…

# Errors
error-title = Erreur
error-hint = Si cela se reproduit, indiquez à votre équipe plateforme ce que vous faisiez et à quel moment.
error-back-home = Retour à l’accueil
error-not-found = Cette page n’existe pas.
error-unauthorized = Connectez-vous pour voir cette page.
error-forbidden = Vous n’avez pas le droit de voir cette page.
error-bad-request = La requête n’a pas pu être comprise.
error-validation = Certains champs demandent votre attention.
error-conflict = Quelqu’un a modifié cet élément entre-temps. Rechargez et réessayez.
error-too-many-requests = Trop de tentatives. Patientez un instant puis réessayez.
error-unavailable = Un service dont nous dépendons est indisponible. Réessayez dans une minute.
error-internal = Un problème est survenu de notre côté.
not-found-title = Page introuvable · STOA

# Home
home-title = STOA · Portail développeurs
home-eyebrow = La gestion d’API, ouverte par conception
home-headline = Trouvez une API, obtenez une clé, livrez.
home-lead = Parcourez les API et serveurs MCP publiés par votre organisation, créez une application, abonnez-vous à un plan et suivez votre consommation — au même endroit.
home-figures-label = Chiffres de la plateforme
home-figure-tenants = Tenants actifs
home-figure-events = Événements traités
home-getting-started = Pour commencer
home-step-browse-title = Parcourir le catalogue
home-step-browse-body = Cherchez des API et serveurs MCP par nom, tag ou catégorie, et lisez leur documentation.
home-step-app-title = Créer une application
home-step-app-body = Une application porte vos identifiants. Sa clé n’est affichée qu’une fois : conservez-la.
home-step-subscribe-title = S’abonner à un plan
home-step-subscribe-body = Les plans gratuits démarrent aussitôt ; les plans premium attendent l’accord du propriétaire de l’API.

# Sign-in
login-title = Connexion · STOA
login-heading = Connexion
login-lead = Utilisez votre compte STOA pour gérer applications, abonnements et demandes.
login-username = Identifiant
login-password = Mot de passe
login-submit = Se connecter
login-failed = Identifiant ou mot de passe incorrect.
login-throttled = Trop de tentatives échouées. Patientez 15 minutes puis réessayez.
login-demo-heading = Vous essayez la démo ?
login-demo-body = Le tenant de démonstration a un compte par rôle : consommateur, développeur, administrateur du tenant, administrateur de la plateforme et auditeur sécurité.

# Profile
profile-title = Votre profil · STOA
profile-username = Identifiant
profile-tenant = Tenant
profile-roles = Rôles
profile-language = Langue préférée
profile-language-help = Utilisée sur chaque page, et réappliquée à chaque connexion.
profile-save = Enregistrer
role-viewer = Consommateur d’API
role-devops = Développeur d’API
role-tenant-admin = Administrateur du tenant
role-cpi-admin = Administrateur de la plateforme
role-security = Auditeur sécurité
login-provider = Se connecter avec votre organisation
login-provider-failed = La connexion via votre organisation n’a pas abouti. Veuillez réessayer.
login-provider-tenant = Votre organisation n’est pas encore enregistrée sur ce portail. Contactez votre administrateur.
login-provider-conflict = Ce nom d’utilisateur appartient déjà à un autre compte ici. Contactez votre administrateur.
nav-audit = Journal d’audit
audit-title = Journal d’audit · STOA
audit-heading = Journal d’audit
audit-lead = Qui a fait quoi, et quand. Les entrées ne sont jamais modifiées ni supprimées.
audit-filters = Filtrer le journal d’audit
audit-actor = Acteur
audit-action = Action
audit-from = Du
audit-to = Au
audit-apply = Filtrer
audit-reset = Réinitialiser
audit-count = { $count ->
    [one] Une entrée
   *[other] { $count } entrées
}
audit-empty = Aucune entrée ne correspond à ces filtres.
audit-col-at = Date
audit-col-tenant = Tenant
audit-col-subject = Objet
audit-col-client = Adresse du client
audit-pagination = Pages du journal d’audit
pagination-previous = Précédente
pagination-next = Suivante
pagination-page-of = Page { $page } sur { $pages }
audit-error-invalid-date = Saisissez une date au format AAAA-MM-JJ.
audit-error-before-from = La date de fin ne peut pas précéder la date de début.
audit-error-invalid-number = Saisissez un nombre entier à partir de 1.
audit-error-too-large = Ce nombre est trop grand.
nav-catalog = Catalogue
catalog-title = Catalogue · STOA
catalog-heading = Catalogue d’API
catalog-lead = Les API et serveurs MCP auxquels vous pouvez vous abonner, de toutes les équipes de la plateforme.
catalog-search-label = Rechercher
catalog-search-placeholder = Nom, étiquette, opération…
catalog-sort = Trier par
catalog-sort-relevance = Pertinence
catalog-sort-name = Nom
catalog-sort-updated = Dernière mise à jour
catalog-search = Rechercher
catalog-facets = Filtres
catalog-clear-filters = Effacer tous les filtres
catalog-facet-type = Type
catalog-facet-category = Catégorie
catalog-facet-tag = Étiquettes
catalog-facet-audience = Public visé
catalog-facet-auth = Authentification
catalog-count = { $count ->
    [one] Un résultat
   *[other] { $count } résultats
}
catalog-no-results = Rien ne correspond à cette recherche. Essayez moins de mots ou d’autres, ou effacez les filtres.
catalog-empty = Le catalogue est vide pour l’instant : aucune API ni aucun serveur MCP n’a encore été publié.
catalog-show-all = Afficher tout le catalogue
catalog-pagination = Pages de résultats
kind-api = API
kind-mcp = Serveur MCP
audience-public = Public
audience-internal = Interne
audience-partner = Partenaires
auth-none = Sans authentification
auth-api-key = Clé d’API
auth-oauth2 = OAuth 2
breadcrumb = Fil d’Ariane
api-requires-approval = Abonnements soumis à approbation
api-versions = Versions
api-version = Version
api-status = Statut
api-deployed-in = Déployée en
api-operations = Opérations
api-download = Télécharger le document OpenAPI
api-no-version = Aucune version de cette API n’est encore publiée.
api-status-published = Publiée
api-status-deprecated = Obsolète
api-status-retired = Retirée
api-status-draft = Brouillon
api-parameters = Paramètres
api-param-name = Nom
api-param-in = Emplacement
api-param-type = Type
api-param-description = Description
api-request-body = Corps de la requête
api-responses = Réponses
api-example = Exemple
api-required = obligatoire
mcp-tools = Outils
mcp-no-tools = Ce serveur ne propose encore aucun outil.
mcp-input = Entrée
mcp-no-input = Aucune entrée.
mcp-schema = Schéma JSON
api-operations-many = { $count } opérations : choisissez-en une pour voir ses paramètres, sa requête et ses réponses.
nav-publish = Publier
env-dev = Développement
env-staging = Préproduction
env-prod = Production
console-apis-title = Publication · STOA
console-apis-heading = Vos API et serveurs MCP
console-apis-lead = Ce que votre équipe publie au catalogue : brouillons, versions et où elles tournent.
console-new-api = Publier une API
console-new-mcp = Publier un serveur MCP
console-empty = Votre équipe n’a encore rien publié. Commencez par un document OpenAPI ou les outils d’un serveur MCP.
console-edit = Modifier
console-actions = Actions
console-publish = Publier
console-deploy = Déployer
console-environment = Environnement
console-back = ← Retour à vos API
console-cancel = Annuler
console-tool-count = { $count ->
    [one] Un outil
   *[other] { $count } outils
}
console-done-draft = Enregistré comme brouillon :
console-done-published = Publié :
console-done-deployed = Déployé :
console-done-mcp-stored = Serveur MCP publié :
publish-api-lead = Collez ou téléversez un document OpenAPI 3.0 ou 3.1 (JSON ou YAML, 10 Mo au plus). Une nouvelle version reste un brouillon, sauf si vous la publiez maintenant.
publish-mcp-lead = Décrivez le serveur et collez ses outils tels que tools/list les renvoie. Le schéma d’entrée de chaque outil est vérifié comme JSON Schema.
publish-name = Nom
publish-slug = Identifiant dans les adresses
publish-slug-hint = Minuscules, chiffres et tirets. Vide, il est tiré du nom.
publish-slug-edit-hint = Gardez-le pour mettre à jour cette entrée ; un nouvel identifiant crée une nouvelle entrée.
publish-description = Description
publish-description-hint = Markdown. Le HTML brut est affiché comme du texte.
publish-category = Catégorie
publish-category-hint = Un mot, par exemple payments.
publish-tags = Étiquettes
publish-tags-hint = Séparées par des virgules, 20 au plus.
publish-document = Document OpenAPI
publish-document-hint = Collez-le ici ou choisissez un fichier ci-dessous (le fichier l’emporte).
publish-document-file = …ou téléversez le document
publish-tools = Outils (JSON)
publish-tools-hint = Un tableau d’outils, ou {"{"} "tools": [...] {"}"} : name, description, inputSchema.
publish-tools-file = …ou téléversez le fichier des outils
publish-environments = Déployer cette version en
publish-now = Publier maintenant (sinon elle reste un brouillon visible de votre seule équipe)
publish-submit-api = Enregistrer la version
publish-submit-mcp = Publier le serveur
publish-error-length-1-200 = Saisissez un nom de 1 à 200 caractères.
publish-error-invalid-slug = Utilisez des minuscules, des chiffres et des tirets, en commençant par une lettre ou un chiffre.
publish-error-too-many-or-too-long = 20 étiquettes au plus, de 40 caractères au plus.
publish-error-too-long = Ce texte est trop long.
publish-error-unknown-environment = Choisissez développement, préproduction ou production.
publish-error-invalid-document = Ce n’est pas un document OpenAPI 3.0 ou 3.1 valide :
publish-error-version-published = Cette version est déjà publiée et ne peut pas être remplacée ; donnez au document un nouveau info.version.
publish-error-version-retired = Cette version est retirée.
publish-error-no-tools = Déclarez au moins un outil.
publish-error-invalid-tools = Ces outils ne sont pas valides :
publish-error-slug-taken = Une autre équipe utilise déjà cet identifiant pour un serveur MCP.
publish-error-too-large = Le document dépasse 10 Mo.
publish-error-not-text = Le fichier n’est pas du texte UTF-8 (JSON ou YAML).
tryit-heading = Essayer
tryit-sign-in = Connectez-vous pour essayer cette opération.
tryit-not-deployed = Cette version ne tourne encore nulle part : il n’y a pas de serveur à appeler.
tryit-note = Le serveur du portail envoie cette requête au serveur enregistré pour l’environnement et affiche la réponse. Paramètres et réponses ne sont jamais journalisés.
tryit-send = Envoyer la requête
tryit-answer = Réponse
tryit-status = HTTP { $status }
tryit-latency = { $ms } ms
tryit-headers = En-têtes
tryit-truncated = La réponse dépassait 256 Ko ; seul son début est affiché.
tryit-error-unknown-operation = Cette opération n’existe pas dans cette version de l’API.
tryit-error-not-deployed = Cette version n’est pas déployée dans cet environnement.
tryit-error-missing-parameter = Renseignez chaque paramètre de chemin.
tryit-error-outside-servers = Cette requête sortirait du serveur enregistré de l’API : elle n’a pas été envoyée.
tryit-error-private-address = L’adresse du serveur est privée ou interne ; le portail n’appelle pas ces adresses.
tryit-error-no-such-host = Le nom d’hôte du serveur n’a pas pu être résolu.
tryit-error-too-large = Le corps de la requête dépasse 256 Ko.
tryit-error-unreachable = Le serveur est injoignable.
tryit-error-timeout = Le serveur n’a pas répondu en 10 secondes.
tryit-error-bad-header = Un des en-têtes ne peut pas être défini ici (le portail le définit, ou sa valeur n’est pas valide).
nav-apps = Applications
apps-title = Applications · STOA
apps-heading = Vos applications
apps-lead = Une application porte les identifiants que votre code utilise pour appeler des API, et ses abonnements.
apps-new = Nouvelle application
apps-deleted = L’application a été supprimée ; ses clés et abonnements ont été révoqués.
apps-empty = Vous n’avez pas encore d’application. Créez-en une pour obtenir une clé d’API.
apps-profile = Profil de sécurité
apps-profile-api_key = Clé d’API
apps-profile-oauth2_confidential = Client OAuth2 confidentiel
apps-credential-count = { $count ->
    [one] un identifiant
   *[other] { $count } identifiants
}
apps-back = ← Retour à vos applications
apps-client-id = Identifiant client :
apps-details = Détails
apps-redirect-uris = URI de redirection
apps-redirect-hint = Une par ligne : https, ou http sur localhost pour le développement. Obligatoire pour un client OAuth2.
apps-save = Enregistrer
apps-create = Créer l’application
apps-revoked = L’identifiant a été révoqué : il ne fonctionne plus.
apps-credentials = Identifiants
apps-no-credentials = Aucun identifiant pour l’instant.
apps-new-key = Créer une clé d’API
apps-new-secret = Créer un secret client
apps-expires-in = Expire après (jours)
apps-never = jamais
apps-issued-heading = Votre nouveau secret
apps-issued-once = Copiez-le maintenant et gardez-le en lieu sûr : il n’est affiché que cette fois, nous n’en gardons qu’une empreinte.
apps-issued-grace = Le secret précédent fonctionne encore jusqu’au { $until }.
apps-status-active = actif
apps-status-rotated = remplacé
apps-status-revoked = révoqué
apps-status-expired = expiré
apps-status-grace = remplacé, valable jusqu’au { $until }
apps-grace-hours = Délai de grâce (heures)
apps-rotate = Renouveler
apps-revoke = Révoquer…
apps-revoke-confirm = Révoquer cet identifiant maintenant ? Les appels qui l’utilisent échoueront aussitôt.
apps-revoke-yes = Révoquer
apps-delete = Supprimer l’application
apps-delete-lead = Ses identifiants cessent de fonctionner et ses abonnements sont révoqués.
apps-delete-confirm = Supprimer « { $name } » définitivement ?
apps-delete-yes = Supprimer
apps-error-length-1-100 = Saisissez un nom de 1 à 100 caractères.
apps-error-too-long = Ce texte est trop long.
apps-error-unknown-profile = Choisissez clé d’API ou client OAuth2 confidentiel.
apps-error-too-many = 10 URI de redirection au plus.
apps-error-invalid-uri = Cette URI de redirection doit être en https (ou http sur localhost), sans fragment :
apps-error-required-for-oauth2 = Un client OAuth2 a besoin d’au moins une URI de redirection.
apps-error-name-taken = Vous avez déjà une application de ce nom.
apps-error-out-of-range = Saisissez un nombre de jours de 1 à 3650, ou laissez vide.
tryit-application = Identifiant de
tryit-no-application = Aucun identifiant
tryit-no-apps = Créez une application pour appeler cette API avec sa clé.
tryit-error-no-application = Cette application ne vous appartient pas.
tryit-with-credential = Envoyée avec une clé de votre application, valable cinq minutes.
plans-heading = Offres
plans-per-second = Requêtes par seconde :
plans-per-minute = Requêtes par minute :
plans-per-day = Requêtes par jour :
plans-per-month = Requêtes par mois :
plans-approval = Un abonnement est d’abord examiné par l’équipe de l’API.
plans-instant = Un abonnement est actif aussitôt.
nav-subscriptions = Abonnements
sub-heading = S’abonner
sub-sign-in = Connectez-vous pour vous abonner
sub-not-allowed = Votre rôle ne permet pas d’abonner des applications.
sub-need-app = Un abonnement appartient à une application : créez-en une d’abord.
sub-application = Application
sub-plan = Formule
sub-tools = Outils
sub-ttl = Fin après (jours)
sub-ttl-hint = Facultatif. Laissez vide pour un abonnement sans fin ; vous pourrez le prolonger plus tard dans la limite de la formule.
sub-submit = S’abonner
sub-list-heading = Abonnements
sub-list-empty = Cette application n’a encore aucun abonnement. Choisissez une API ou un serveur MCP dans le
sub-done-active = Abonnement effectué : il est actif.
sub-done-pending = Demande envoyée : l’équipe de l’API l’examine, vous serez notifié de sa décision.
sub-done-cancelled = L’abonnement a été annulé.
sub-done-extended = L’abonnement a été prolongé.
sub-ends = se termine le { $date }
sub-reason = Motif :
sub-extend-days = Prolonger de (jours)
sub-extend = Prolonger
sub-cancel = Annuler l’abonnement…
sub-cancel-confirm = Annuler cet abonnement ? Les appels seront refusés immédiatement.
sub-cancel-yes = Annuler l’abonnement
sub-state-pending = en attente d’approbation
sub-state-active = actif
sub-state-rejected = refusé
sub-state-suspended = suspendu
sub-state-revoked = révoqué
sub-state-expired = expiré
sub-state-cancelled = annulé
sub-error-choose-application = Choisissez l’une de vos applications.
sub-error-unknown-application = Cette application ne vous appartient pas.
sub-error-choose-plan = Choisissez une formule.
sub-error-unknown-plan = Cette formule n’est pas (ou plus) proposée.
sub-error-already-subscribed = Cette application a déjà un abonnement à cette formule (actif ou en attente d’approbation).
sub-error-choose-tools = Choisissez au moins un outil.
sub-error-unknown-tool = Ce serveur n’a pas cet outil :
sub-error-ttl-out-of-range = Indiquez un nombre de jours entre 1 et la limite de la formule, ou laissez vide. Limite (jours) :
sub-error-reason-too-short = Donnez un motif d’au moins 10 caractères : l’abonné le lira.
sub-error-choose-subscriptions = Cochez au moins un abonnement.
sub-error-already-decided = Quelqu’un a déjà statué sur cet abonnement ; la liste montre où il en est.
sub-error-beyond-plan = Cela dépasserait la durée maximale de la formule. Limite (jours à partir d’aujourd’hui) :
queue-title = Abonnements · console STOA
queue-heading = Demandes d’abonnement
queue-lead = { $count ->
    [0] Rien n’attend votre décision.
    [one] Une demande attend votre décision.
   *[other] { $count } demandes attendent votre décision.
}
queue-filter = Filtrer par état
queue-empty = Aucun abonnement dans cet état.
queue-select = Sélectionner
queue-col-entry = API ou serveur MCP
queue-col-subscriber = Application et abonné
queue-col-state = État
queue-col-actions = Décision
queue-approve = Approuver
queue-reject = Refuser
queue-reason = Motif (au moins 10 caractères pour refuser)
queue-suspend = Suspendre
queue-reactivate = Réactiver
queue-revoke = Révoquer
queue-revoke-confirm = Révoquer définitivement cet abonnement ?
queue-bulk = Pour les demandes cochées :
queue-approve-selected = Approuver la sélection
queue-reject-selected = Refuser la sélection
queue-done = { $action } : { $count ->
    [one] un abonnement.
   *[other] { $count } abonnements.
}
queue-skipped = { $count ->
    [one] Un avait déjà été traité par quelqu’un d’autre et n’a pas changé.
   *[other] { $count } avaient déjà été traités par quelqu’un d’autre et n’ont pas changé.
}
queue-action-approve = Approuvé
queue-action-reject = Refusé
queue-action-suspend = Suspendu
queue-action-reactivate = Réactivé
queue-action-revoke = Révoqué
notif-title = Notifications · STOA
notif-heading = Notifications
notif-unread = { $count ->
    [0] Tout est lu.
    [one] Une notification non lue.
   *[other] { $count } notifications non lues.
}
notif-bell = { $count ->
    [0] Notifications
    [one] Notifications : une non lue
   *[other] Notifications : { $count } non lues
}
notif-empty = Aucune notification pour l’instant. Les décisions sur vos demandes d’abonnement apparaîtront ici.
notif-new = Nouveau :
notif-open = Ouvrir
notif-mark-read = Marquer comme lue
notif-mark-all = Tout marquer comme lu
notif-marked = { $count ->
    [one] Une notification marquée comme lue.
   *[other] { $count } notifications marquées comme lues.
}
notif-pagination = Pages de notifications
notif-subscription-pending = Une demande d’abonnement attend votre décision
notif-subscription-approved = Votre abonnement a été approuvé
notif-subscription-rejected = Votre demande d’abonnement a été refusée
notif-subscription-suspended = Votre abonnement a été suspendu
notif-subscription-reactivated = Votre abonnement a été réactivé
notif-subscription-revoked = Votre abonnement a été révoqué
notif-subscription-expired = Votre abonnement a expiré
notif-subscription-expiring = Votre abonnement se termine dans moins de trois jours
