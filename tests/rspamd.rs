//! rspamd with the rule in contrib/rspamd, against a real `sagiguard serve` (issue 16):
//! Debian's rspamd (and a Redis for its Bayes classifier) is started on loopback ports with a
//! throwaway configuration; `rspamc` scans the sample mail, then `learn_spam`/`learn_ham`
//! reach sagiguard through the classifier's learn_condition. The test needs rspamd and
//! redis-server installed (`.ci/run` installs them); without them, it fails with how to
//! install them.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::util::{Sandbox, trained};

struct Rspamd(Child);

/// A Redis for rspamd's Bayes statistics, in memory only.
struct Redis(Child);

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Rspamd {
    fn drop(&mut self) {
        // The main process stops its workers on SIGTERM.
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn which(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn rspamd_marks_the_sample_scams_and_not_the_ham() {
    for (program, package) in [
        ("rspamd", "rspamd"),
        ("rspamc", "rspamd"),
        ("redis-server", "redis-server"),
    ] {
        assert!(
            which(program),
            "{program} is not installed: `apt-get install {package}` (see the README, \"Tests that need rspamd and Chromium\")"
        );
    }
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let token = "0123456789abcdef0123456789abcdef";
    std::fs::write(sandbox.path().join("token"), token).unwrap();
    let server = Server::start(&sandbox, &["-m", &model, "--token-file", "token"]);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = sandbox.path().join("rspamd");
    std::fs::create_dir_all(&dir).unwrap();
    let (normal, controller, redis_port) = (free_port(), free_port(), free_port());
    let _redis = Redis(
        Command::new("redis-server")
            .args(["--port", &redis_port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts"),
    );
    // The settings file as shipped, pointed at this server.
    let settings = std::fs::read_to_string(repo.join("contrib/rspamd/sagiguard.conf"))
        .unwrap()
        .lines()
        .map(|line| {
            if line.starts_with("url = ") {
                format!("url = \"{}\";", server.url("/score"))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + &format!("\ntoken = \"{token}\";");
    // The learn_condition of the README's local.d/classifier-bayes.conf.
    let learn_condition =
        std::fs::read_to_string(repo.join("contrib/rspamd/classifier-bayes.conf")).unwrap();
    let d = dir.display();
    let config = format!(
        r#"options {{
    pidfile = "{d}/rspamd.pid";
    filters = "";
    cache_file = "{d}/symbols.cache";
    tempdir = "{d}";
    dns {{ nameserver = ["127.0.0.1:53"]; timeout = 0.5s; retransmits = 1; }}
}}
logging {{ type = "file"; filename = "{d}/rspamd.log"; level = "info"; }}
worker "normal" {{ bind_socket = "127.0.0.1:{normal}"; count = 1; }}
worker "controller" {{ bind_socket = "127.0.0.1:{controller}"; count = 1; password = "x"; secure_ip = "127.0.0.1"; }}
lua = "{lua}";
sagiguard {{
{settings}
}}
classifier "bayes" {{
    backend = "redis";
    servers = "127.0.0.1:{redis_port}";
    min_learns = 0;
    min_tokens = 1;
    tokenizer {{ name = "osb"; }}
    statfile {{ symbol = "BAYES_SPAM"; spam = true; }}
    statfile {{ symbol = "BAYES_HAM"; spam = false; }}
{learn_condition}
}}
"#,
        lua = repo.join("contrib/rspamd/sagiguard.lua").display(),
    );
    let conf = dir.join("rspamd.conf");
    std::fs::write(&conf, config).unwrap();
    let log = dir.join("rspamd.log");
    let rspamd = Rspamd(
        Command::new("rspamd")
            // Foreground; -i lets it run as root, as CI does.
            .args(["-f", "-i", "-c"])
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("rspamd starts"),
    );
    let show_log = || std::fs::read_to_string(&log).unwrap_or_else(|e| format!("(no log: {e})"));
    // rspamd compiles its URL suffix list first: up to a minute on a slow machine.
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::net::TcpStream::connect(("127.0.0.1", normal)).is_err() {
        assert!(
            Instant::now() < deadline,
            "rspamd did not start listening; its log:\n{}",
            show_log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let samples = repo.join("data/samples");
    let mut names: Vec<String> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    let scan = |name: &str| -> String {
        // The worker may still be loading its rules right after it starts listening.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let output = Command::new("rspamc")
                .args(["-h", &format!("127.0.0.1:{normal}"), "-t", "30", "symbols"])
                .arg(samples.join(name))
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            if output.status.success() && stdout.contains("Symbol:") {
                return stdout;
            }
            assert!(
                Instant::now() < deadline,
                "rspamc on {name} failed: {stdout}{}\nrspamd log:\n{}",
                String::from_utf8_lossy(&output.stderr),
                show_log()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    };
    for name in &names {
        let result = scan(name);
        let symbol = [
            "SAGIGUARD_SCAM",
            "SAGIGUARD_UNSURE",
            "SAGIGUARD_HAM",
            "SAGIGUARD_FAIL",
        ]
        .into_iter()
        .find(|s| result.contains(&format!("Symbol: {s} ")))
        .unwrap_or_else(|| panic!("{name}: no sagiguard symbol:\n{result}\n{}", show_log()));
        if name.starts_with("scam-") {
            assert_eq!(symbol, "SAGIGUARD_SCAM", "{name}:\n{result}");
            // The strongest signals and the probability are the symbol's options.
            assert!(
                result.contains("p=1.000") || result.contains("p=0.9"),
                "{result}"
            );
        } else {
            assert_ne!(symbol, "SAGIGUARD_SCAM", "{name}:\n{result}");
            assert_ne!(symbol, "SAGIGUARD_FAIL", "{name}:\n{result}");
        }
    }
    let sextortion = scan("scam-sextortion-iso2022jp.eml");
    assert!(sextortion.contains("crypto_address"), "{sextortion}");

    // rspamd's own learning teaches sagiguard too.
    let mail = dir.join("sakura.eml");
    std::fs::write(&mail, "From: miyuki@example.jp\r\nSubject: お久しぶりです\r\n\r\nミユキです。お元気ですか？前に話したお礼のお食事の件、来週あたりどうでしょう。お返事まってますね。\r\n").unwrap();
    let info = || -> serde_json::Value {
        let (stdout, _) =
            crate::util::run(&mut sandbox.cmd(&["model", "info", &model, "--json"]), 0);
        serde_json::from_str(&stdout).unwrap()
    };
    let before = info();
    for (command, learned) in [("learn_spam", 1), ("learn_ham", 2)] {
        let output = Command::new("rspamc")
            .args(["-h", &format!("127.0.0.1:{controller}"), "-P", "x", command])
            .arg(&mail)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "rspamc {command}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // The rule posts to /learn asynchronously: wait for the model file to change.
        let deadline = Instant::now() + Duration::from_secs(30);
        while info()["history"]["learned"] != learned {
            assert!(
                Instant::now() < deadline,
                "rspamc {command} did not reach sagiguard; rspamd log:\n{}",
                show_log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    // Learned as scam, then moved to ham: the counts are ham's now.
    let after = info();
    assert_eq!(after["scam_mails"], before["scam_mails"]);
    assert_eq!(
        after["ham_mails"].as_u64().unwrap(),
        before["ham_mails"].as_u64().unwrap() + 1
    );
    drop(rspamd);
}
