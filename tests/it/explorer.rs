//! The key explorer (`explorer.html`) in headless Chromium, driven over the DevTools protocol:
//! for three slider positions the page's numbers must equal what `samkost run` computes for
//! the same keys on the same draws (the run's `summary.json` is the independent reference:
//! it comes from the engine's kernel and stability check, not from the page's script).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

const DRAWS: usize = 2000;

/// The shipped three-member scenario with its keys replaced by the three slider positions.
fn scenario_with_keys() -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hamar-region.toml"),
    )
    .unwrap();
    let cut = text.find("[[keys]]").unwrap();
    format!(
        "{}\n[[keys]]\nname = \"p1\"\nrule = \"hybrid\"\nfixed_part = 0.3\n\n\
         [[keys]]\nname = \"p2\"\nrule = \"hybrid\"\nfixed_part = 0.6\nstartup = {{ rule = \"equal\" }}\n\n\
         [[keys]]\nname = \"p3\"\nrule = \"fixed\"\n\
         shares = {{ \"3403\" = 0.36, \"3411\" = 0.40, \"3413\" = 0.24 }}\n\
         startup = {{ rule = \"proportional\", driver = \"population\" }}\n",
        &text[..cut]
    )
}

struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    port: u16,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn launch(chromium: &Path, url: &str) -> Browser {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("chromium printed no DevTools address")
            .unwrap();
        if let Some(rest) = line.split("DevTools listening on ws://").nth(1) {
            let host_port = rest.split('/').next().unwrap();
            break host_port.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stderr so chromium never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Browser {
        child,
        _profile: profile,
        port,
    }
}

/// The page target's DevTools websocket address (plain HTTP GET of /json/list).
fn page_socket(port: u16) -> String {
    for _ in 0..100 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        // The DevTools server keeps the connection open: read until the body parses.
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut response = Vec::new();
        let mut buf = [0u8; 8192];
        let targets = loop {
            let got = stream.read(&mut buf).unwrap_or(0);
            response.extend_from_slice(&buf[..got]);
            let text = String::from_utf8_lossy(&response);
            let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
            if let Ok(v) = serde_json::from_str::<Value>(body) {
                break v;
            }
            if got == 0 {
                break json!([]);
            }
        };
        if let Some(url) = targets.as_array().and_then(|t| {
            t.iter()
                .find(|t| {
                    t["type"] == "page"
                        && t["url"].as_str().unwrap_or("").ends_with("explorer.html")
                })
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        }) {
            return url.to_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no page target for explorer.html");
}

struct Page {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Page {
    /// `Runtime.evaluate` of `expression`, returning its value.
    fn eval(&mut self, expression: &str) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"id": id, "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true}});
        self.socket
            .send(tungstenite::Message::text(message.to_string()))
            .unwrap();
        loop {
            let reply = self.socket.read().unwrap();
            let Ok(text) = reply.to_text() else { continue };
            let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if value["id"] == id {
                assert!(
                    value["result"]["exceptionDetails"].is_null(),
                    "page script failed: {value}"
                );
                return value["result"]["result"]["value"].clone();
            }
        }
    }
}

/// Sets the controls (`[id, value]` pairs, dispatching input events as a user's moves do)
/// and reads every displayed figure's value.
const READ: &str = "(() => { const r = {all: +document.getElementById('p-all').dataset.value, \
    core: +document.getElementById('p-core').dataset.value, \
    burden: +document.getElementById('burden').dataset.value, gains: [], text: document.getElementById('p-all').textContent}; \
    for (let i = 0; ; i++) { const e = document.getElementById('p-gain-' + i); if (!e) break; r.gains.push(+e.dataset.value); } \
    return r; })()";

fn set(page: &mut Page, controls: &[(&str, &str)]) -> Value {
    for (id, value) in controls {
        let script = if *value == "checked" {
            format!(
                "(() => {{ const e = document.getElementById('{id}'); e.checked = true; \
                 e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()"
            )
        } else {
            format!(
                "(() => {{ const e = document.getElementById('{id}'); e.value = '{value}'; \
                 e.dispatchEvent(new Event('input', {{bubbles: true}})); }})()"
            )
        };
        page.eval(&script);
    }
    page.eval(READ)
}

fn chromium() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn explorer_sliders_give_the_numbers_samkost_run_computes_for_the_same_keys() {
    let Some(chromium) = chromium() else {
        eprintln!(
            "SKIPPED: chromium not found (apt-get install -y chromium); the key explorer's browser test did not run"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("keys.toml");
    std::fs::write(&scenario, scenario_with_keys()).unwrap();
    let out = dir.path().join("out");
    crate::succeed(
        Command::new(env!("CARGO_BIN_EXE_samkost"))
            .arg("run")
            .arg(&scenario)
            .args([
                "--draws",
                &DRAWS.to_string(),
                "--stability-draws",
                &DRAWS.to_string(),
            ])
            .arg("--out")
            .arg(&out),
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let page_file = out.join("explorer.html");
    let html = std::fs::read_to_string(&page_file).unwrap();
    assert!(
        html.contains("2000 draws"),
        "the page states its sample size"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page fetches nothing"
    );

    let browser = launch(&chromium, &format!("file://{}", page_file.display()));
    let (socket, _) = tungstenite::connect(page_socket(browser.port)).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
    }
    let mut page = Page { socket, next_id: 0 };
    for _ in 0..100 {
        if page.eval("document.readyState === 'complete' && document.getElementById('p-all') !== null && document.getElementById('p-all').dataset.value !== undefined") == json!(true) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let positions: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "p1",
            vec![
                ("driver-a", "0"),
                ("blend", "100"),
                ("fixed", "30"),
                ("startup", "same"),
            ],
        ),
        ("p2", vec![("fixed", "60"), ("startup", "equal")]),
        (
            "p3",
            vec![
                ("startup", "population"),
                ("custom", "checked"),
                ("share-0", "36"),
                ("share-1", "40"),
                ("share-2", "24"),
            ],
        ),
    ];
    let mut seen = Vec::new();
    for (name, controls) in &positions {
        let shown = set(&mut page, controls);
        let key = summary["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == *name)
            .unwrap();
        // Same draws, same rules: the counts agree exactly; one draw of slack covers a
        // floating-point tie at a boundary (far inside the stated standard error of ~1 point).
        let tol = 1.0 / DRAWS as f64 + 1e-12;
        let close = |a: f64, b: f64, what: &str| {
            assert!(
                (a - b).abs() <= tol,
                "{name} {what}: page {a}, samkost run {b}"
            );
        };
        close(
            shown["all"].as_f64().unwrap(),
            key["p_all_win"].as_f64().unwrap(),
            "p_all_win",
        );
        close(
            shown["core"].as_f64().unwrap(),
            key["p_core_stable"].as_f64().unwrap(),
            "p_core_stable",
        );
        for (i, m) in key["members"].as_array().unwrap().iter().enumerate() {
            let p_win = 1.0 - m["p_loss"].as_f64().unwrap();
            close(
                shown["gains"][i].as_f64().unwrap(),
                p_win,
                &format!("member {i} p_win"),
            );
        }
        let burden = key["burden_ratio"].as_f64().unwrap();
        let page_burden = shown["burden"].as_f64().unwrap();
        assert!(
            (page_burden - burden).abs() <= 1e-9 * burden,
            "{name} burden ratio: page {page_burden}, samkost run {burden}"
        );
        assert!(
            shown["text"].as_str().unwrap().contains('±'),
            "a standard error is shown"
        );
        seen.push(page_burden);
    }
    assert!(
        seen[0] != seen[1] && seen[1] != seen[2],
        "moving the controls changes the numbers"
    );
}
