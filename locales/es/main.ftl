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
audit-previous = Anterior
audit-next = Siguiente
audit-page-of = Página { $page } de { $pages }
audit-error-invalid-date = Introduzca una fecha con el formato AAAA-MM-DD.
audit-error-before-from = La fecha final no puede ser anterior a la inicial.
audit-error-invalid-number = Introduzca un número entero a partir de 1.
audit-error-too-large = Este número es demasiado grande.
