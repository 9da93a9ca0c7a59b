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
audit-previous = Précédente
audit-next = Suivante
audit-page-of = Page { $page } sur { $pages }
audit-error-invalid-date = Saisissez une date au format AAAA-MM-JJ.
audit-error-before-from = La date de fin ne peut pas précéder la date de début.
audit-error-invalid-number = Saisissez un nombre entier à partir de 1.
audit-error-too-large = Ce nombre est trop grand.
