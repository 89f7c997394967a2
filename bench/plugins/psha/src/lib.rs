// The plugin is its own module, so the umbrella crate can include it too.
mod plugin;
pub use plugin::*;
