// The five plugins as modules of one crate: one std, one copy of every
// dependency, and only the five APIs global after pruning.
#[path = "../../pjson/src/plugin.rs"]
mod pjson;
#[path = "../../pzip/src/plugin.rs"]
mod pzip;
#[path = "../../psha/src/plugin.rs"]
mod psha;
#[path = "../../pregex/src/plugin.rs"]
mod pregex;
#[path = "../../pnom/src/plugin.rs"]
mod pnom;
