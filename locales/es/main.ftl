# Shell
skip-to-content = Ir al contenido
brand-tagline = Portal para desarrolladores
nav-label = Navegación principal
nav-home = Inicio
nav-sign-in = Iniciar sesión
footer-copyright = © STOA gestión de API
footer-no-js = Todas las páginas funcionan sin JavaScript.
language-label = Idioma
language-apply = Aplicar
nav-sign-out = Cerrar sesión
loading = Cargando…

# Errors
error-title = Error
error-hint = Si vuelve a ocurrir, cuente a su equipo de plataforma qué estaba haciendo y cuándo.
error-back-home = Volver al inicio
error-not-found = Esta página no existe.
error-unauthorized = Inicie sesión para ver esta página.
error-forbidden = No tiene permiso para ver esta página.
error-bad-request = No se pudo entender la solicitud.
error-validation = Algunos campos necesitan su atención.
error-conflict = Alguien lo cambió mientras tanto. Recargue e inténtelo de nuevo.
error-too-many-requests = Demasiados intentos. Espere un momento e inténtelo de nuevo.
error-unavailable = Un servicio del que dependemos no está disponible ahora. Inténtelo dentro de un minuto.
error-internal = Algo salió mal por nuestra parte.
not-found-title = Página no encontrada · STOA

# Home
home-title = STOA · Portal para desarrolladores
home-eyebrow = Gestión de API, abierta por diseño
home-headline = Encuentre una API, obtenga una clave, publique.
home-lead = Explore las API y servidores MCP que publica su organización, cree una aplicación, suscríbase a un plan y siga su consumo — en un solo lugar.
home-figures-label = Cifras de la plataforma
home-figure-tenants = Tenants activos
home-figure-events = Eventos procesados
home-getting-started = Primeros pasos
home-step-browse-title = Explorar el catálogo
home-step-browse-body = Busque API y servidores MCP por nombre, etiqueta o categoría, y lea su documentación.
home-step-app-title = Crear una aplicación
home-step-app-body = Una aplicación guarda sus credenciales. Su clave se muestra una sola vez: guárdela bien.
home-step-subscribe-title = Suscribirse a un plan
home-step-subscribe-body = Los planes gratuitos empiezan al instante; los premium esperan la aprobación del responsable de la API.

# Sign-in
login-title = Iniciar sesión · STOA
login-heading = Iniciar sesión
login-lead = Use su cuenta de STOA para gestionar aplicaciones, suscripciones y solicitudes.
login-username = Usuario
login-password = Contraseña
login-submit = Iniciar sesión
login-failed = Usuario o contraseña incorrectos.
login-throttled = Demasiados intentos fallidos. Espere 15 minutos e inténtelo de nuevo.
login-demo-heading = ¿Está probando la demo?
login-demo-body = El tenant de demostración tiene una cuenta por rol: consumidor, desarrollador, administrador del tenant, administrador de la plataforma y auditor de seguridad.

# Profile
profile-title = Su perfil · STOA
profile-username = Usuario
profile-tenant = Tenant
profile-roles = Roles
profile-language = Idioma preferido
profile-language-help = Se usa en todas las páginas y se vuelve a aplicar cada vez que inicia sesión.
profile-save = Guardar
role-viewer = Consumidor de API
role-devops = Desarrollador de API
role-tenant-admin = Administrador del tenant
role-cpi-admin = Administrador de la plataforma
role-security = Auditor de seguridad
login-provider = Iniciar sesión con su organización
login-provider-failed = El inicio de sesión a través de su organización no se completó. Inténtelo de nuevo.
login-provider-tenant = Su organización aún no está registrada en este portal. Consulte a su administrador.
login-provider-conflict = Este nombre de usuario ya pertenece a otra cuenta aquí. Consulte a su administrador.
nav-audit = Registro de auditoría
audit-title = Registro de auditoría · STOA
audit-heading = Registro de auditoría
audit-lead = Quién hizo qué y cuándo. Las entradas nunca se modifican ni se eliminan.
audit-filters = Filtrar el registro de auditoría
audit-actor = Actor
audit-action = Acción
audit-from = Desde
audit-to = Hasta
audit-apply = Filtrar
audit-reset = Restablecer
audit-count = { $count ->
    [one] Una entrada
   *[other] { $count } entradas
}
audit-empty = Ninguna entrada coincide con estos filtros.
audit-col-at = Fecha
audit-col-tenant = Tenant
audit-col-subject = Objeto
audit-col-client = Dirección del cliente
audit-pagination = Páginas del registro de auditoría
pagination-previous = Anterior
pagination-next = Siguiente
pagination-page-of = Página { $page } de { $pages }
audit-error-invalid-date = Introduzca una fecha con el formato AAAA-MM-DD.
audit-error-before-from = La fecha final no puede ser anterior a la inicial.
audit-error-invalid-number = Introduzca un número entero a partir de 1.
audit-error-too-large = Este número es demasiado grande.
nav-catalog = Catálogo
catalog-title = Catálogo · STOA
catalog-heading = Catálogo de API
catalog-lead = Las API y servidores MCP a los que puede suscribirse, de todos los equipos de la plataforma.
catalog-search-label = Buscar
catalog-search-placeholder = Nombre, etiqueta, operación…
catalog-sort = Ordenar por
catalog-sort-relevance = Relevancia
catalog-sort-name = Nombre
catalog-sort-updated = Última actualización
catalog-search = Buscar
catalog-facets = Filtros
catalog-clear-filters = Quitar todos los filtros
catalog-facet-type = Tipo
catalog-facet-category = Categoría
catalog-facet-tag = Etiquetas
catalog-facet-audience = Audiencia
catalog-facet-auth = Autenticación
catalog-count = { $count ->
    [one] Un resultado
   *[other] { $count } resultados
}
catalog-no-results = Nada coincide con esta búsqueda. Pruebe con menos palabras u otras, o quite los filtros.
catalog-empty = El catálogo está vacío por ahora: aún no se ha publicado ninguna API ni servidor MCP.
catalog-show-all = Mostrar todo el catálogo
catalog-pagination = Páginas de resultados
kind-api = API
kind-mcp = Servidor MCP
audience-public = Público
audience-internal = Interno
audience-partner = Socios
auth-none = Sin autenticación
auth-api-key = Clave de API
auth-oauth2 = OAuth 2
breadcrumb = Ruta de navegación
api-requires-approval = Las suscripciones requieren aprobación
api-versions = Versiones
api-version = Versión
api-status = Estado
api-deployed-in = Desplegada en
api-operations = Operaciones
api-download = Descargar el documento OpenAPI
api-no-version = Aún no se ha publicado ninguna versión de esta API.
api-status-published = Publicada
api-status-deprecated = Obsoleta
api-status-retired = Retirada
api-status-draft = Borrador
api-parameters = Parámetros
api-param-name = Nombre
api-param-in = Ubicación
api-param-type = Tipo
api-param-description = Descripción
api-request-body = Cuerpo de la solicitud
api-responses = Respuestas
api-example = Ejemplo
api-required = obligatorio
mcp-tools = Herramientas
mcp-no-tools = Este servidor aún no ofrece herramientas.
mcp-input = Entrada
mcp-no-input = Sin entrada.
mcp-schema = Esquema JSON
api-operations-many = { $count } operaciones: elija una para ver sus parámetros, solicitud y respuestas.
nav-publish = Publicar
env-dev = Desarrollo
env-staging = Preproducción
env-prod = Producción
console-apis-title = Publicación · STOA
console-apis-heading = Sus API y servidores MCP
console-apis-lead = Lo que su equipo publica en el catálogo: borradores, versiones y dónde se ejecutan.
console-new-api = Publicar una API
console-new-mcp = Publicar un servidor MCP
console-empty = Su equipo aún no ha publicado nada. Empiece con un documento OpenAPI o las herramientas de un servidor MCP.
console-edit = Editar
console-actions = Acciones
console-publish = Publicar
console-deploy = Desplegar
console-environment = Entorno
console-back = ← Volver a sus API
console-cancel = Cancelar
console-tool-count = { $count ->
    [one] Una herramienta
   *[other] { $count } herramientas
}
console-done-draft = Guardado como borrador:
console-done-published = Publicado:
console-done-deployed = Desplegado:
console-done-mcp-stored = Servidor MCP publicado:
publish-api-lead = Pegue o suba un documento OpenAPI 3.0 o 3.1 (JSON o YAML, hasta 10 MB). Una versión nueva queda como borrador salvo que la publique ahora.
publish-mcp-lead = Describa el servidor y pegue sus herramientas tal como las devuelve tools/list. El esquema de entrada de cada herramienta se comprueba como JSON Schema.
publish-name = Nombre
publish-slug = Identificador en las direcciones
publish-slug-hint = Minúsculas, dígitos y guiones. Si lo deja vacío, se forma a partir del nombre.
publish-slug-edit-hint = Consérvelo para actualizar esta entrada; un identificador nuevo crea otra entrada.
publish-description = Descripción
publish-description-hint = Markdown. El HTML se muestra como texto.
publish-category = Categoría
publish-category-hint = Una palabra, por ejemplo payments.
publish-tags = Etiquetas
publish-tags-hint = Separadas por comas, 20 como máximo.
publish-document = Documento OpenAPI
publish-document-hint = Péguelo aquí o elija un archivo abajo (el archivo tiene prioridad).
publish-document-file = …o suba el documento
publish-tools = Herramientas (JSON)
publish-tools-hint = Una lista de herramientas, o {"{"} "tools": [...] {"}"}: name, description, inputSchema.
publish-tools-file = …o suba el archivo de herramientas
publish-environments = Desplegar esta versión en
publish-now = Publicar ahora (si no, queda como borrador que solo ve su equipo)
publish-submit-api = Guardar la versión
publish-submit-mcp = Publicar el servidor
publish-error-length-1-200 = Escriba un nombre de 1 a 200 caracteres.
publish-error-invalid-slug = Use minúsculas, dígitos y guiones, empezando por una letra o un dígito.
publish-error-too-many-or-too-long = Como máximo 20 etiquetas de 40 caracteres como máximo.
publish-error-too-long = Este texto es demasiado largo.
publish-error-unknown-environment = Elija desarrollo, preproducción o producción.
publish-error-invalid-document = No es un documento OpenAPI 3.0 o 3.1 válido:
publish-error-version-published = Esta versión ya está publicada y no se puede reemplazar; dé al documento un info.version nuevo.
publish-error-version-retired = Esta versión está retirada.
publish-error-no-tools = Declare al menos una herramienta.
publish-error-invalid-tools = Estas herramientas no son válidas:
publish-error-slug-taken = Otro equipo ya usa este identificador para un servidor MCP.
publish-error-too-large = El documento supera los 10 MB.
publish-error-not-text = El archivo no es texto UTF-8 (JSON o YAML).
tryit-heading = Probar
tryit-sign-in = Inicie sesión para probar esta operación.
tryit-not-deployed = Esta versión aún no se ejecuta en ningún sitio: no hay servidor al que llamar.
tryit-note = El servidor del portal envía esta petición al servidor registrado para el entorno y muestra la respuesta. Los parámetros y las respuestas nunca se registran.
tryit-send = Enviar la petición
tryit-answer = Respuesta
tryit-status = HTTP { $status }
tryit-latency = { $ms } ms
tryit-headers = Cabeceras
tryit-truncated = La respuesta superaba 256 KB; solo se muestra su comienzo.
tryit-error-unknown-operation = Esta operación no existe en esta versión de la API.
tryit-error-not-deployed = Esta versión no está desplegada en ese entorno.
tryit-error-missing-parameter = Rellene todos los parámetros de ruta.
tryit-error-outside-servers = Esa petición saldría del servidor registrado de la API, así que no se envió.
tryit-error-private-address = La dirección del servidor es privada o interna; el portal no llama a esas direcciones.
tryit-error-no-such-host = No se pudo resolver el nombre del servidor.
tryit-error-too-large = El cuerpo de la petición supera 256 KB.
tryit-error-unreachable = No se pudo contactar con el servidor.
tryit-error-timeout = El servidor no respondió en 10 segundos.
tryit-error-bad-header = Una de las cabeceras no se puede fijar aquí (la fija el portal o su valor no es válido).
nav-apps = Aplicaciones
apps-title = Aplicaciones · STOA
apps-heading = Sus aplicaciones
apps-lead = Una aplicación guarda las credenciales con las que su código llama a las API, y sus suscripciones.
apps-new = Nueva aplicación
apps-deleted = La aplicación se eliminó; sus claves y suscripciones se revocaron.
apps-empty = Aún no tiene ninguna aplicación. Cree una para obtener una clave de API.
apps-profile = Perfil de seguridad
apps-profile-api_key = Clave de API
apps-profile-oauth2_confidential = Cliente OAuth2 confidencial
apps-credential-count = { $count ->
    [one] una credencial
   *[other] { $count } credenciales
}
apps-back = ← Volver a sus aplicaciones
apps-client-id = Id. de cliente:
apps-details = Detalles
apps-redirect-uris = URI de redirección
apps-redirect-hint = Una por línea: https, o http en localhost para desarrollo. Obligatorias para clientes OAuth2.
apps-save = Guardar
apps-create = Crear la aplicación
apps-revoked = La credencial se revocó: ya no funciona.
apps-credentials = Credenciales
apps-no-credentials = Aún no hay credenciales.
apps-new-key = Crear una clave de API
apps-new-secret = Crear un secreto de cliente
apps-expires-in = Caduca tras (días)
apps-never = nunca
apps-issued-heading = Su nuevo secreto
apps-issued-once = Cópielo ahora y guárdelo en lugar seguro: solo se muestra esta vez, solo guardamos una huella.
apps-issued-grace = El secreto anterior sigue funcionando hasta { $until }.
apps-status-active = activa
apps-status-rotated = sustituida
apps-status-revoked = revocada
apps-status-expired = caducada
apps-status-grace = sustituida, válida hasta { $until }
apps-grace-hours = Gracia (horas)
apps-rotate = Renovar
apps-revoke = Revocar…
apps-revoke-confirm = ¿Revocar esta credencial ahora? Las llamadas que la usen fallarán de inmediato.
apps-revoke-yes = Revocar
apps-delete = Eliminar la aplicación
apps-delete-lead = Sus credenciales dejan de funcionar y sus suscripciones se revocan.
apps-delete-confirm = ¿Eliminar «{ $name }» definitivamente?
apps-delete-yes = Eliminar
apps-error-length-1-100 = Escriba un nombre de 1 a 100 caracteres.
apps-error-too-long = Este texto es demasiado largo.
apps-error-unknown-profile = Elija clave de API o cliente OAuth2 confidencial.
apps-error-too-many = Como máximo 10 URI de redirección.
apps-error-invalid-uri = Esta URI de redirección debe ser https (o http en localhost), sin fragmento:
apps-error-required-for-oauth2 = Un cliente OAuth2 necesita al menos una URI de redirección.
apps-error-name-taken = Ya tiene una aplicación con este nombre.
apps-error-out-of-range = Escriba de 1 a 3650 días, o déjelo vacío.
tryit-application = Credencial de
tryit-no-application = Sin credencial
tryit-no-apps = Cree una aplicación para llamar a esta API con su clave.
tryit-error-no-application = Esa aplicación no es suya.
tryit-with-credential = Enviada con una clave de su aplicación válida cinco minutos.
plans-heading = Planes
plans-per-second = Peticiones por segundo:
plans-per-minute = Peticiones por minuto:
plans-per-day = Peticiones por día:
plans-per-month = Peticiones por mes:
plans-approval = El equipo de la API revisa primero cada suscripción.
plans-instant = Una suscripción queda activa al instante.
nav-subscriptions = Suscripciones
sub-heading = Suscribirse
sub-sign-in = Inicie sesión para suscribirse
sub-not-allowed = Su rol no puede suscribir aplicaciones.
sub-need-app = Las suscripciones pertenecen a una aplicación: cree una primero.
sub-application = Aplicación
sub-plan = Plan
sub-tools = Herramientas
sub-ttl = Termina tras (días)
sub-ttl-hint = Opcional. Déjelo vacío para una suscripción sin fin; podrá ampliarla después dentro del límite del plan.
sub-submit = Suscribirse
sub-list-heading = Suscripciones
sub-list-empty = Esta aplicación aún no tiene suscripciones. Elija una API o un servidor MCP en el
sub-done-active = Suscrito: la suscripción está activa.
sub-done-pending = Solicitada: el equipo de la API la revisa y se le notificará su decisión.
sub-done-cancelled = La suscripción se canceló.
sub-done-extended = La suscripción se amplió.
sub-ends = termina el { $date }
sub-reason = Motivo:
sub-extend-days = Ampliar (días)
sub-extend = Ampliar
sub-cancel = Cancelar la suscripción…
sub-cancel-confirm = ¿Cancelar esta suscripción? Las llamadas se rechazarán de inmediato.
sub-cancel-yes = Cancelar la suscripción
sub-state-pending = pendiente de aprobación
sub-state-active = activa
sub-state-rejected = rechazada
sub-state-suspended = suspendida
sub-state-revoked = revocada
sub-state-expired = caducada
sub-state-cancelled = cancelada
sub-error-choose-application = Elija una de sus aplicaciones.
sub-error-unknown-application = Esa aplicación no es suya.
sub-error-choose-plan = Elija un plan.
sub-error-unknown-plan = Este plan no se ofrece (ya).
sub-error-already-subscribed = Esta aplicación ya tiene una suscripción a este plan (activa o pendiente de aprobación).
sub-error-choose-tools = Elija al menos una herramienta.
sub-error-unknown-tool = Este servidor no tiene esa herramienta:
sub-error-ttl-out-of-range = Indique un número de días entre 1 y el límite del plan, o déjelo vacío. Límite (días):
sub-error-reason-too-short = Indique un motivo de al menos 10 caracteres: el suscriptor lo leerá.
sub-error-choose-subscriptions = Marque al menos una suscripción.
sub-error-already-decided = Alguien ya decidió sobre esta suscripción; la lista muestra su estado actual.
sub-error-beyond-plan = Eso superaría la duración máxima del plan. Límite (días desde hoy):
queue-title = Suscripciones · consola STOA
queue-heading = Solicitudes de suscripción
queue-lead = { $count ->
    [0] Nada espera su decisión.
    [one] Una solicitud espera su decisión.
   *[other] { $count } solicitudes esperan su decisión.
}
queue-filter = Filtrar por estado
queue-empty = Ninguna suscripción en este estado.
queue-select = Seleccionar
queue-col-entry = API o servidor MCP
queue-col-subscriber = Aplicación y suscriptor
queue-col-state = Estado
queue-col-actions = Decisión
queue-approve = Aprobar
queue-reject = Rechazar
queue-reason = Motivo (al menos 10 caracteres para rechazar)
queue-suspend = Suspender
queue-reactivate = Reactivar
queue-revoke = Revocar
queue-revoke-confirm = ¿Revocar esta suscripción definitivamente?
queue-bulk = Con las solicitudes marcadas:
queue-approve-selected = Aprobar las marcadas
queue-reject-selected = Rechazar las marcadas
queue-done = { $action }: { $count ->
    [one] una suscripción.
   *[other] { $count } suscripciones.
}
queue-skipped = { $count ->
    [one] Otra persona ya había decidido sobre una; quedó como estaba.
   *[other] Otra persona ya había decidido sobre { $count }; quedaron como estaban.
}
queue-action-approve = Aprobadas
queue-action-reject = Rechazadas
queue-action-suspend = Suspendidas
queue-action-reactivate = Reactivadas
queue-action-revoke = Revocadas
notif-title = Notificaciones · STOA
notif-heading = Notificaciones
notif-unread = { $count ->
    [0] Todo leído.
    [one] Una notificación sin leer.
   *[other] { $count } notificaciones sin leer.
}
notif-bell = { $count ->
    [0] Notificaciones
    [one] Notificaciones: una sin leer
   *[other] Notificaciones: { $count } sin leer
}
notif-empty = Aún no hay notificaciones. Las decisiones sobre sus solicitudes de suscripción aparecerán aquí.
notif-new = Nueva:
notif-open = Abrir
notif-mark-read = Marcar como leída
notif-mark-all = Marcar todo como leído
notif-marked = { $count ->
    [one] Una notificación marcada como leída.
   *[other] { $count } notificaciones marcadas como leídas.
}
notif-pagination = Páginas de notificaciones
notif-subscription-pending = Una solicitud de suscripción espera su decisión
notif-subscription-approved = Su suscripción fue aprobada
notif-subscription-rejected = Su solicitud de suscripción fue rechazada
notif-subscription-suspended = Su suscripción fue suspendida
notif-subscription-reactivated = Su suscripción fue reactivada
notif-subscription-revoked = Su suscripción fue revocada
notif-subscription-expired = Su suscripción caducó
notif-subscription-expiring = Su suscripción termina en menos de tres días
