//! The page for people, in a real browser (issue 16): Debian's Chromium, headless, driven
//! through chromedriver (WebDriver). It pastes a scam SMS, a genuine notice and an HTML
//! payload, checks what the page shows, and keeps a screenshot of each in
//! `target/tmp/browser/` (phone-sized window). Needs `chromium` and `chromium-driver`
//! (`.ci/run` installs them); without them the test fails with how to install them.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::serve::Server;
use crate::util::{Sandbox, trained};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Pastes `mail` into the text area (as a paste does: the value, then an input event),
/// presses the button, and waits for the answer.
async fn check(client: &Client, mail: &str) {
    client
        .execute(
            "const area = document.getElementById('mail');
             area.value = arguments[0];
             area.dispatchEvent(new Event('input', { bubbles: true }));
             document.getElementById('result').hidden = true;",
            vec![json!(mail)],
        )
        .await
        .unwrap();
    client
        .find(Locator::Id("check"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let shown = client
            .execute(
                "return !document.getElementById('result').hidden || !document.getElementById('error').hidden;",
                vec![],
            )
            .await
            .unwrap();
        if shown == Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "no answer shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

#[test]
fn a_person_pastes_a_mail_and_reads_the_answer() {
    for program in ["chromium", "chromedriver"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "{program} is not installed: `apt-get install chromium chromium-driver` (see the README, \"Tests that need rspamd and Chromium\")"
        );
    }
    let sandbox = Sandbox::new();
    let model = trained(&sandbox);
    let server = Server::start(&sandbox, &["-m", &model]);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    // What the server answers a pasted text alone, and with the number the phone showed.
    let reminder = "【Amazon】お支払い方法に問題があります。ご確認ください。";
    let served = |query: &str| {
        let (status, _, body) = crate::serve::post(&server.url(query), reminder.as_bytes(), &[]);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["scam_probability"]
            .as_f64()
            .unwrap()
    };
    let (alone, from_mobile) = (
        served("/explain"),
        served("/explain?sender=%2B81%2090-1234-5678"),
    );
    assert_ne!(alone, from_mobile);
    let profile = sandbox.path().join("chromium-profile");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=390,1400",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("cannot start Chromium through chromedriver: {e}"),
            }
        };
        client.goto(&server.url("/")).await.unwrap();
        assert_eq!(text(&client, "h1").await, "詐欺メール・SMSチェック");

        // A scam SMS: the verdict, the signals, the mail's own words marked.
        let sms = "【佐川急便】お客様宛にお荷物のお届けにあがりましたが不在の為持ち帰りました。48時間以内に下記よりご確認ください https://sagawa-redeliv.top/r?id=88";
        check(&client, sms).await;
        assert_eq!(text(&client, "#verdict").await, "詐欺の可能性が高いメールです");
        let signals = text(&client, "#signals").await;
        assert!(signals.contains("48時間以内"), "{signals}");
        let marks = client.find_all(Locator::Css("#text mark")).await.unwrap();
        let mut marked = Vec::new();
        for mark in &marks {
            marked.push(mark.text().await.unwrap());
        }
        assert!(marked.iter().any(|m| m == "48時間以内"), "{marked:?}");
        let report = text(&client, "#report").await;
        assert!(report.contains("188") && report.contains("#9110"), "{report}");
        screenshot(&client, "scam-sms").await;

        // A genuine notice.
        let notice = "いつもご利用ありがとうございます。12月分の会議室の予約が確定しました。日時：12月10日（水）14:00〜15:00、会場：本館3階 第2会議室。変更がある場合は総務課までご連絡ください。";
        check(&client, notice).await;
        let verdict = text(&client, "#verdict").await;
        assert_ne!(verdict, "詐欺の可能性が高いメールです", "a genuine notice was flagged");
        screenshot(&client, "genuine-notice").await;

        // A colleague's note with a deadline: not flagged, and not "no sign" above the sign.
        let note = "お疲れさまです。佐藤です。来週の定例会議で使う資料の提出は、24時間以内にお願いします。共有フォルダの「定例」に置いてください。不明な点があれば私まで。よろしくお願いします。";
        check(&client, note).await;
        assert_eq!(
            text(&client, "#verdict").await,
            "詐欺とまでは判定されませんでしたが、気になる手がかりがあります"
        );
        let signals = text(&client, "#signals").await;
        assert!(signals.contains("24時間以内"), "{signals}");

        // HTML and script are shown as text, never run.
        let payload = "<img src=x onerror=\"window.__sagiguard_xss=1\"><script>window.__sagiguard_xss=2</script><b>至急</b>ご確認ください https://example-verify.top/";
        check(&client, payload).await;
        let ran = client
            .execute("return window.__sagiguard_xss === undefined;", vec![])
            .await
            .unwrap();
        assert_eq!(ran, Value::Bool(true), "the pasted script ran");
        let injected = client
            .find_all(Locator::Css("#result img, #result script, #result b"))
            .await
            .unwrap();
        assert!(injected.is_empty(), "pasted HTML became elements");
        let shown = text(&client, "#text").await;
        assert!(shown.contains("<img src=x onerror="), "{shown}");
        screenshot(&client, "html-payload").await;

        // The sender field goes with the text: the page shows what the server gives the
        // text with that sender, and the sign it raises.
        client
            .execute(
                "document.getElementById('sender').value = arguments[0];",
                vec![json!("+81 90-1234-5678")],
            )
            .await
            .unwrap();
        check(&client, reminder).await;
        let shown = text(&client, "#probability").await;
        assert!(
            shown.contains(&format!("{:.1}%", from_mobile * 100.0)),
            "{shown} (with the sender {from_mobile}, alone {alone})"
        );
        let signals = text(&client, "#signals").await;
        assert!(signals.contains("携帯電話番号"), "{signals}");
        screenshot(&client, "sms-with-sender").await;
        client
            .execute("document.getElementById('sender').value = '';", vec![])
            .await
            .unwrap();

        // English.
        client
            .find(Locator::Id("lang"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        check(&client, sms).await;
        assert_eq!(text(&client, "#verdict").await, "This looks like a scam");
        assert_eq!(text(&client, "h1").await, "Is this mail or SMS a scam?");
        screenshot(&client, "scam-sms-en").await;

        // A phone-sized window shows the page without sideways scrolling.
        let overflow = client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, Value::Bool(true), "the page is wider than a phone");
        client.close().await.unwrap();
    });
}
