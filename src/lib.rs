//! The `jianyi` program: configuration, start-up (migrations, the first admin, the server) and
//! the demo congress. `main.rs` only parses the command line and calls in here.

pub mod config;
pub mod demo;
pub mod startup;
