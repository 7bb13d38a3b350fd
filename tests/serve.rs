//! `sagiguard serve` over real HTTP on loopback (issue 16): answers as the command line does,
//! limits (body size, requests in flight, time), reloads that keep a good model, learning
//! behind a token, metrics, and shutdown that finishes the requests in flight.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Sandbox, keys, run, shared_cache, strings, trained};

/// A running `sagiguard serve` on a free loopback port; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    stderr: std::sync::mpsc::Receiver<String>,
    /// What it printed before it said where it listens.
    prelude: Vec<String>,
}

impl Server {
    // The child is killed and waited for when the Server is dropped.
    #[allow(clippy::zombie_processes)]
    pub fn start(sandbox: &Sandbox, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sagiguard"))
            .current_dir(sandbox.path())
            .arg("serve")
            .args(if args.contains(&"--listen") {
                &[][..]
            } else {
                &["--listen", "127.0.0.1:0"][..]
            })
            .args(args)
            .env_remove("SAGIGUARD_DICT")
            .env("SAGIGUARD_CACHE_DIR", shared_cache())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sagiguard serve starts");
        let (send, lines) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut prelude = Vec::new();
        loop {
            let line = lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("sagiguard serve did not say where it listens"));
            if let Some(at) = line.split(" on http://").nth(1) {
                let base = format!("http://{}", at.trim_end_matches('/'));
                return Server {
                    child,
                    base,
                    stderr: lines,
                    prelude,
                };
            }
            prelude.push(line);
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// What the server printed on stderr since it started listening.
    fn stderr(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// POSTs `body` and returns the status, the headers we look at, and the body as text.
pub fn post(url: &str, body: &[u8], headers: &[(&str, &str)]) -> (u16, Option<String>, String) {
    let mut request = agent().post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send(body).expect("the server answers");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (status, retry, text)
}

pub fn get(url: &str) -> (u16, String, String) {
    let mut response = agent().get(url).call().expect("the server answers");
    let csp = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        response.status().as_u16(),
        csp,
        response.body_mut().read_to_string().unwrap(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/samples")
            .join(name),
    )
    .unwrap()
}

fn signal(pid: &str, name: &str) {
    let status = Command::new("kill")
        .args(["-s", name, pid])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn score_and_explain_answer_as_the_command_line_does() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model]);
    for name in [
        "scam-sextortion-iso2022jp.eml",
        "ham-order-shiftjis.eml",
        "scam-amazon-link-mismatch-html-utf8qp.eml",
    ] {
        let (status, _, body) = post(&server.url("/score"), &sample(name), &[]);
        assert_eq!(status, 200, "{name}: {body}");
        let served = json(&body);
        std::fs::write(sandbox.path().join(name), sample(name)).unwrap();
        let (stdout, _) = {
            let output = sandbox
                .cmd(&["score", "-m", &model, "--json", name])
                .output()
                .unwrap();
            (String::from_utf8(output.stdout).unwrap(), ())
        };
        let local = json(stdout.lines().next().unwrap());
        assert_eq!(keys(&served), keys(&local), "{name}");
        for key in ["id", "verdict", "scam_probability", "signals", "reasons"] {
            assert_eq!(served[key], local[key], "{name}: {key}");
        }
        assert_eq!(served["source"], "request");
    }
    // Pasted text, in English.
    let sms = "【佐川急便】お荷物をお届けにあがりましたが不在の為持ち帰りました。配送物は下記よりご確認ください。 sagawa-kx.top/r?id=88";
    let (status, _, body) = post(&server.url("/explain?lang=en"), sms.as_bytes(), &[]);
    assert_eq!(status, 200, "{body}");
    let v = json(&body);
    assert_eq!(v["verdict"], "scam", "{body}");
    assert!(v["advice"]["title"].as_str().unwrap().is_ascii());
    let report = strings(&v["report"], "contact");
    assert_eq!(report[..2], ["188", "#9110"]);
    let (status, _, body) = post(&server.url("/explain?lang=fr"), sms.as_bytes(), &[]);
    assert_eq!((status, json(&body)["error"].is_string()), (400, true));

    let (status, _, body) = get(&server.url("/health"));
    assert_eq!(status, 200);
    let health = json(&body);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["model_fingerprint"].as_str().unwrap().len(), 16);
    let (_, _, metrics) = get(&server.url("/metrics"));
    assert!(
        metrics.contains("sagiguard_requests_total{path=\"/score\",status=\"200\"} 3"),
        "{metrics}"
    );
    assert!(metrics.contains("sagiguard_verdicts_total{verdict=\"scam\"}"));
    assert!(
        metrics.contains("sagiguard_scoring_seconds_count 4"),
        "{metrics}"
    );
}

#[test]
fn bad_and_oversized_bodies_get_a_status_and_the_server_goes_on() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model, "--max-body", "50000"]);
    // Past the limit: the body is read and dropped, then 413.
    let big = vec![b'a'; 200_000];
    let (status, _, body) = post(&server.url("/score"), &big, &[]);
    assert_eq!(status, 413, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("50000 bytes")
    );
    // Nothing to read: 422 with the reason.
    let (status, _, body) = post(&server.url("/score"), b"", &[]);
    assert_eq!(status, 422, "{body}");
    assert!(
        json(&body)["error"].as_str().unwrap().contains("empty"),
        "{body}"
    );
    // Random bytes are read as text and get a verdict.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let garbage: Vec<u8> = (0..4000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let (status, _, body) = post(&server.url("/score"), &garbage, &[]);
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = post(&server.url("/score"), &sample("ham-meeting-eucjp.eml"), &[]);
    assert_eq!(status, 200);
    let (_, _, metrics) = get(&server.url("/metrics"));
    assert!(
        metrics.contains("sagiguard_errors_total{kind=\"too_large\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("sagiguard_errors_total{kind=\"unreadable\"} 1"),
        "{metrics}"
    );
}

/// A long mail: seconds of work in a debug build.
fn slow_mail() -> Vec<u8> {
    "お客様の口座で不審な取引を確認しました。至急ご確認ください。\n"
        .repeat(40_000)
        .into_bytes()
}

#[test]
fn requests_past_the_bound_or_the_time_limit_get_503() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    {
        let server = Server::start(&sandbox, &["-m", &model, "--timeout", "0.01"]);
        let (status, _, body) = post(&server.url("/score"), &slow_mail(), &[]);
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("--timeout"), "{body}");
    }
    let server = Server::start(&sandbox, &["-m", &model, "--max-in-flight", "1"]);
    let url = server.url("/score");
    // Clients at once on one slot: some are turned away, told when to come back.
    let turned_away = std::sync::Arc::new(std::sync::Mutex::new(None));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (url, turned_away) = (url.clone(), turned_away.clone());
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline && turned_away.lock().unwrap().is_none() {
                    let (status, retry, body) = post(&url, &slow_mail(), &[]);
                    if status == 503 {
                        *turned_away.lock().unwrap() = Some((retry, body));
                    } else {
                        assert_eq!(status, 200, "{body}");
                    }
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    let (retry, body) = turned_away
        .lock()
        .unwrap()
        .take()
        .expect("a request was turned away");
    assert_eq!(retry.as_deref(), Some("1"));
    assert!(body.contains("--max-in-flight"), "{body}");
    let (status, _, _) = post(&url, &sample("ham-meeting-eucjp.eml"), &[]);
    assert_eq!(status, 200);
}

#[test]
fn a_corrupt_model_is_refused_on_reload_and_a_good_one_swapped_in() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model]);
    let fingerprint = || json(&get(&server.url("/health")).2)["model_fingerprint"].clone();
    let before = fingerprint();
    let good = std::fs::read(sandbox.path().join(&model)).unwrap();
    let mut bad = good.clone();
    let middle = bad.len() / 2;
    bad[middle] ^= 0xff;
    std::fs::write(sandbox.path().join(&model), &bad).unwrap();
    let (status, _, body) = post(&server.url("/reload"), b"", &[]);
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("kept the model in use"), "{body}");
    assert!(body.contains("corrupted"), "{body}");
    assert_eq!(fingerprint(), before);
    let (status, _, _) = post(&server.url("/score"), &sample("ham-meeting-eucjp.eml"), &[]);
    assert_eq!(status, 200);
    // SIGHUP with a corrupt file keeps the model too; with a new good one it swaps.
    signal(&server.pid(), "HUP");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(fingerprint(), before);
    let sms = sandbox.path().join("sms");
    std::fs::write(&sms, "【重要】アカウントが停止されました。こちらから再開手続きをしてください http://acct-restart.example.top/").unwrap();
    std::fs::write(sandbox.path().join(&model), &good).unwrap();
    run(
        &mut sandbox.cmd(&["-q", "learn", "-m", &model, "--scam", "sms", "--text"]),
        0,
    );
    signal(&server.pid(), "HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    while fingerprint() == before {
        assert!(
            Instant::now() < deadline,
            "SIGHUP did not reload: {}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, _, metrics) = get(&server.url("/metrics"));
    assert!(
        metrics.contains("sagiguard_model_reloads_total{result=\"refused\"} 2"),
        "{metrics}"
    );
}

#[test]
fn learning_needs_a_token_and_is_served_at_once() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let probe = "お久しぶりです、ミユキです。前に相談に乗ってもらったお礼がしたくて連絡しました。来週あたりお食事でもどうですか？お返事まってますね。";
    let lessons = [
        "こんばんは、ミユキです。この前はお話できて楽しかったです。お礼にお食事をご馳走させてください。来週の都合はいかがですか？お返事まってますね。",
        "ミユキです、覚えてますか？相談に乗ってもらったお礼がまだだったので、お食事でもご一緒できたら嬉しいです。お返事まってますね。",
        "ミユキです。お元気ですか？前に話したお礼のお食事の件、来週あたりどうでしょう。お返事まってますね。",
    ];
    {
        let server = Server::start(&sandbox, &["-m", &model]);
        let (status, _, body) = post(&server.url("/learn?label=scam"), lessons[0].as_bytes(), &[]);
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("--token-file"), "{body}");
    }
    std::fs::write(sandbox.path().join("token"), "0123456789abcdef0123\n").unwrap();
    let server = Server::start(&sandbox, &["-m", &model, "--token-file", "token"]);
    let verdict = || json(&post(&server.url("/score"), probe.as_bytes(), &[]).2)["verdict"].clone();
    assert_ne!(verdict(), "scam");
    let (status, _, _) = post(
        &server.url("/learn?label=scam"),
        lessons[0].as_bytes(),
        &[("authorization", "Bearer wrong-token-wrong-token")],
    );
    assert_eq!(status, 401);
    let auth = [("authorization", "Bearer 0123456789abcdef0123")];
    for lesson in lessons {
        let (status, _, body) = post(&server.url("/learn?label=scam"), lesson.as_bytes(), &auth);
        assert_eq!(status, 200, "{body}");
        assert_eq!(json(&body)["outcome"], "learned");
    }
    assert_eq!(verdict(), "scam");
    let (_, _, body) = post(
        &server.url("/learn?label=scam"),
        lessons[0].as_bytes(),
        &auth,
    );
    assert_eq!(json(&body)["outcome"], "already_learned");
    let (status, _, body) = post(
        &server.url("/learn?label=spam"),
        lessons[0].as_bytes(),
        &auth,
    );
    assert_eq!(status, 400, "{body}");
    for lesson in lessons {
        let (_, _, body) = post(&server.url("/forget"), lesson.as_bytes(), &auth);
        assert_eq!(json(&body)["outcome"], "forgotten");
    }
    assert_ne!(verdict(), "scam");
    // The file was written too: another process sees the lessons.
    let (stdout, _) = run(&mut sandbox.cmd(&["model", "info", &model, "--json"]), 0);
    assert_eq!(json(&stdout)["history"]["learned"], 3);
    // Reloading needs the token once one is configured.
    let (status, _, _) = post(&server.url("/reload"), b"", &[]);
    assert_eq!(status, 401);
}

#[test]
fn sigterm_finishes_the_requests_in_flight() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let mut server = Server::start(&sandbox, &["-m", &model, "--timeout", "120"]);
    let url = server.url("/score");
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || post(&url, &slow_mail(), &[]).0)
        })
        .collect();
    // Until every client's request is being scored.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, _, metrics) = get(&server.url("/metrics"));
        if metrics.contains("sagiguard_in_flight 4") {
            break;
        }
        assert!(Instant::now() < deadline, "{metrics}");
        std::thread::sleep(Duration::from_millis(20));
    }
    signal(&server.pid(), "TERM");
    for client in clients {
        assert_eq!(client.join().unwrap(), 200);
    }
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}: {}", server.stderr());
}

#[test]
fn listening_beyond_loopback_is_warned_about_and_short_tokens_refused() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model, "--listen", "0.0.0.0:0"]);
    assert!(
        server
            .prelude
            .iter()
            .any(|l| l.contains("warning") && l.contains("no authentication")),
        "{:?}",
        server.prelude
    );
    drop(server);
    std::fs::write(sandbox.path().join("short"), "abc\n").unwrap();
    let (_, stderr) = run(
        &mut sandbox.cmd(&["serve", "-m", &model, "--token-file", "short"]),
        2,
    );
    assert!(stderr.contains("at least 16"), "{stderr}");
}

#[test]
fn the_page_is_served_with_a_strict_policy() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model]);
    let (status, csp, page) = get(&server.url("/"));
    assert_eq!(status, 200);
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(page.contains("<textarea id=\"mail\""));
    assert!(!page.contains("<script>"), "no inline script");
    for asset in ["/page.js", "/page.css"] {
        let (status, _, body) = get(&server.url(asset));
        assert_eq!(status, 200);
        assert!(!body.contains("innerHTML"), "{asset} writes no HTML");
    }
}

/// The page's sender field: `?sender=` gives a pasted text the sender `score --sender` gives
/// it on the command line; an empty field gives none.
#[test]
fn a_pasted_text_is_scored_with_the_sender_given() {
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model]);
    let sms = "お荷物をお届けにあがりましたが不在の為持ち帰りました。ご確認ください。";
    let sender = "+81 90-1234-5678";
    let (status, _, body) = post(
        &server.url("/explain?sender=%2B81%2090-1234-5678"),
        sms.as_bytes(),
        &[],
    );
    assert_eq!(status, 200, "{body}");
    let served = json(&body);
    let mut cmd = sandbox.cmd(&["score", "-m", &model, "--json", "--sender", sender, "-"]);
    cmd.write_stdin(sms);
    let output = cmd.output().unwrap();
    let local = json(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    );
    assert_eq!(served["scam_probability"], local["scam_probability"]);
    assert!(
        strings(&local["reasons"], "feature").contains(&"sender:phone_mobile"),
        "{local}"
    );
    for query in ["/explain", "/explain?sender=", "/explain?sender=%20"] {
        let (status, _, body) = post(&server.url(query), sms.as_bytes(), &[]);
        assert_eq!(status, 200, "{body}");
        assert_ne!(
            json(&body)["scam_probability"],
            served["scam_probability"],
            "{query}"
        );
    }
}
