//! What the platform holds right now, shown on the home page.

use crate::error::AppError;
use crate::model::platform::PlatformFigures;

/// The headline figures.
pub async fn status(pool: &sqlx::PgPool) -> Result<PlatformFigures, AppError> {
    Ok(crate::db::platform::status(pool).await?)
}
