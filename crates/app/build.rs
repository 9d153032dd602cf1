//! The language files are compiled in (fluent-templates' static loader), which cargo does not
//! see: rebuild when any of them changes, or an edit to a .ftl file is silently ignored.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
