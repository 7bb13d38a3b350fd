use crate::util::{Sandbox, run};

#[test]
fn help_lists_the_subcommands() {
    let (stdout, _) = run(&mut Sandbox::new().cmd(&["--help"]), 0);
    for word in ["tokenize", "dict", "--dict"] {
        assert!(stdout.contains(word), "--help lacks {word}:\n{stdout}");
    }
}

#[test]
fn version_prints_the_package_version() {
    let (stdout, _) = run(&mut Sandbox::new().cmd(&["--version"]), 0);
    assert_eq!(
        stdout.trim(),
        format!("sagiguard {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let (_, stderr) = run(&mut Sandbox::new().cmd(&["frobnicate"]), 2);
    assert!(stderr.contains("unrecognized subcommand"), "{stderr}");
}
