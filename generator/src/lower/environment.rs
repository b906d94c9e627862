//! The environment variables a generated client reads, named once the crate's name is known
//! (their prefix is the crate's: `EXOSCALE_API_KEY` for `exoscale-api`).

use crate::model::{Api, Environment, SecurityScheme};
use crate::names;

/// Names every environment variable of the crate `crate_name` made of `api`.
pub fn name(api: &mut Api, crate_name: &str) {
    let prefix = names::env_prefix(crate_name);
    if let Some(server) = &mut api.server {
        for variable in &mut server.variables {
            variable.env_var = format!("{prefix}_{}", variable.env);
        }
    }
    api.environment = Environment {
        endpoint: format!("{prefix}_API_ENDPOINT"),
        schemes: api.security.iter().map(|scheme| scheme_vars(scheme, &prefix)).collect(),
        prefix,
    };
}

/// The variables a scheme reads its secrets from, in the order the client reads them.
fn scheme_vars(scheme: &SecurityScheme, prefix: &str) -> Vec<String> {
    let names: &[&str] = match scheme {
        SecurityScheme::Exo2HmacSha256 { .. } => &["API_KEY", "API_SECRET"],
        SecurityScheme::Bearer { client_credentials: None, .. } => &["TOKEN"],
        // The client's own tokens first; a token given outright still works.
        SecurityScheme::Bearer { client_credentials: Some(_), .. } => &["CLIENT_ID", "CLIENT_SECRET", "TOKEN"],
        SecurityScheme::Basic { .. } => &["USERNAME", "PASSWORD"],
        SecurityScheme::ApiKey { .. } => &["API_KEY"],
    };
    names.iter().map(|name| format!("{prefix}_{name}")).collect()
}
