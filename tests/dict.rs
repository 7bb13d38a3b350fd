use crate::util::{Sandbox, run};

fn cache_state(stdout: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("one JSON object");
    value["origin"]["cache"]["state"]
        .as_str()
        .unwrap_or_else(|| panic!("no cache state in {value}"))
        .to_string()
}

#[test]
fn a_second_process_reuses_the_compiled_dictionary() {
    let sandbox = Sandbox::new();
    let cache = sandbox.path().join("cache");
    let (first, stderr) = run(&mut sandbox.cmd_with_cache(&["dict", "--json"], &cache), 0);
    assert_eq!(cache_state(&first), "built");
    assert!(
        stderr.contains("compiled the IPADIC dictionary"),
        "{stderr}"
    );

    let (second, stderr) = run(&mut sandbox.cmd_with_cache(&["dict", "--json"], &cache), 0);
    assert_eq!(cache_state(&second), "reused");
    assert!(stderr.is_empty(), "a reused cache prints nothing: {stderr}");
    let fingerprint =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["fingerprint"].clone();
    assert_eq!(fingerprint(&first), fingerprint(&second));
}

#[test]
fn the_table_names_origin_path_and_fingerprint() {
    let (stdout, _) = run(&mut Sandbox::new().cmd(&["dict"]), 0);
    for label in ["origin:", "path:", "fingerprint: ipadic-", "lindera:"] {
        assert!(stdout.contains(label), "{label} missing from\n{stdout}");
    }
}

#[test]
fn a_missing_dictionary_path_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let missing = sandbox.path().join("no-such-dictionary");
    let mut cmd = sandbox.cmd(&["tokenize", "テスト"]);
    cmd.env("SAGIGUARD_DICT", &missing);
    let (stdout, stderr) = run(&mut cmd, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("cannot load the Japanese dictionary"),
        "{stderr}"
    );
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
}

#[test]
fn a_directory_that_is_no_dictionary_is_refused() {
    let sandbox = Sandbox::new();
    let (_, stderr) = run(
        &mut sandbox.cmd(&["--dict", sandbox.path().to_str().unwrap(), "dict"]),
        2,
    );
    assert!(stderr.contains("not a dictionary"), "{stderr}");
    assert!(stderr.contains("IPADIC source directory"), "{stderr}");
}
