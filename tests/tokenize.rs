use crate::util::{Sandbox, keys, run};

const SENTENCE: &str = "このメールを開封してから48時間以内に入金を行なってください。";

#[test]
fn prints_surface_base_form_part_of_speech_and_span() {
    let (stdout, _) = run(&mut Sandbox::new().cmd(&["tokenize", SENTENCE]), 0);
    let lines: Vec<&str> = stdout.lines().collect();
    for expected in [
        "開封\t開封\t名詞,サ変接続\t18..24",
        "48\t48\t名詞,数\t36..38",
        "入金\t入金\t名詞,サ変接続\t53..59",
        "行なっ\t行なう\t動詞,自立\t62..71",
    ] {
        assert!(
            lines.contains(&expected),
            "no line {expected:?} in\n{stdout}"
        );
    }
}

#[test]
fn json_output_has_stable_keys_and_original_offsets() {
    let text = "ＡＭＡＺＯＮの２４時間";
    let (stdout, _) = run(&mut Sandbox::new().cmd(&["tokenize", "--json", text]), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    let tokens = value["tokens"].as_array().expect("a tokens array");
    let first = &tokens[0];
    assert_eq!(first["surface"], "amazon");
    assert_eq!(first["class"], "noun");
    let (start, end) = (
        first["start"].as_u64().unwrap() as usize,
        first["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "ＡＭＡＺＯＮ");
    let names = keys(first);
    assert_eq!(
        names,
        [
            "surface",
            "base_form",
            "pos",
            "class",
            "start",
            "end",
            "known"
        ]
    );
}

#[test]
fn reads_standard_input() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd(&["tokenize", "-"]);
    cmd.write_stdin("不正アクセスの疑い\n");
    let (stdout, _) = run(&mut cmd, 0);
    assert!(stdout.starts_with("不正\t不正\t"), "{stdout}");
    assert!(stdout.contains("アクセス\t"), "{stdout}");
}
