//! `PRISM=absent` marks the contract tests against Prism as ignored: a test that skips itself
//! at run time would be reported as passed.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(prism_absent)");
    println!("cargo:rerun-if-env-changed=PRISM");
    if std::env::var("PRISM").as_deref() == Ok("absent") {
        println!("cargo:rustc-cfg=prism_absent");
    }
}
