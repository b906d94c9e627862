//! The generated client against what one would write by hand with `reqwest` and `serde_json`:
//!
//! - `list_ai_api_keys`: one request to a local HTTP server (a minimal keep-alive HTTP/1.1
//!   server in this file, so that the server costs as little as possible and the clients'
//!   differences show), unsigned and signed with `EXO2-HMAC-SHA256`. The hand-written
//!   client builds its URL from a base URL string on each call, as the generated one does,
//!   and signs with the same `Credentials::authorization` the generated one uses, as a
//!   hand-written client would call the same HMAC code.
//! - decoding a list of 10,000 keys with the generated `ListAiApiKeysResponse` and with a
//!   hand-written serde struct of the same fields.
//!
//! Criterion measures each of them; then, because this machine's load drifts, the pairs are
//! also measured interleaved (A, B, B, A, …) and the median of the per-round ratios printed.
//!
//! `cargo bench -p client-tests --bench client`

use std::future::IntoFuture as _;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use criterion::{criterion_group, Criterion, Throughput};
use exoscale_api::auth::Credentials;
use exoscale_api::reqwest::{self, header};
use exoscale_api::types::ListAiApiKeysResponse;
use exoscale_api::Client;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// What one writes by hand for the list response.
#[derive(Debug, Deserialize)]
struct HandList {
    #[serde(rename = "ai-api-keys")]
    ai_api_keys: Vec<HandKey>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandKey {
    #[serde(rename = "updated-at")]
    updated_at: DateTime<Utc>,
    name: String,
    scope: String,
    id: Uuid,
    #[serde(rename = "org-uuid")]
    org_uuid: Uuid,
    #[serde(rename = "created-at")]
    created_at: DateTime<Utc>,
}

/// A list response body of `n` keys.
fn list_body(n: usize) -> Vec<u8> {
    let keys: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "updated-at": "2025-03-04T10:11:12Z",
                "name": format!("key number {i}"),
                "scope": if i % 2 == 0 { "public".to_string() } else { format!("{:08x}-1111-2222-3333-444455556666", i) },
                "id": format!("{:08x}-aaaa-bbbb-cccc-dddddddddddd", i),
                "org-uuid": "01234567-89ab-cdef-0123-456789abcdef",
                "created-at": "2024-12-31T23:59:59.123Z",
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "ai-api-keys": keys })).expect("serialises")
}

/// Serves `body` as JSON to every request, on keep-alive connections; returns its address.
fn serve(body: Vec<u8>) -> SocketAddr {
    let mut response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(&body);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("address")).expect("send");
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { continue };
                let _ = socket.set_nodelay(true);
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buffer = Vec::with_capacity(4096);
                    let mut chunk = [0u8; 4096];
                    loop {
                        // Every request ends with its headers: the benchmark sends no bodies.
                        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            buffer.drain(..end + 4);
                            if socket.write_all(&response).await.is_err() {
                                return;
                            }
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                });
            }
        });
    });
    rx.recv().expect("the server starts")
}

fn credentials() -> Credentials {
    Credentials::new("EXObenchkey0123456789", "bench-secret").expect("valid credentials")
}

/// The `reqwest::Client` both sides use: the settings the generated builder applies.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(exoscale_api::DEFAULT_TIMEOUT)
        .user_agent("bench/1")
        .build()
        .expect("client builds")
}

/// The same request by hand: GET `{base}/ai/api-key` with `Accept: application/json`,
/// optionally signed, the body decoded into the hand-written struct.
async fn by_hand(http: &reqwest::Client, base: &str, credentials: Option<&Credentials>) -> HandList {
    let mut request = http
        .get(format!("{base}/ai/api-key"))
        .header(header::ACCEPT, "application/json")
        .build()
        .expect("request builds");
    if let Some(credentials) = credentials {
        let expires =
            (SystemTime::now().duration_since(UNIX_EPOCH).expect("clock") + Duration::from_secs(600)).as_secs();
        let value = credentials.authorization("GET", request.url(), b"", expires);
        request
            .headers_mut()
            .insert(header::AUTHORIZATION, header::HeaderValue::from_str(&value).expect("header value"));
    }
    let response = http.execute(request).await.expect("sent").error_for_status().expect("200");
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("decodes")
}

/// Both sides of the request benchmarks against one local server: the generated client
/// unsigned and signed, and a plain `reqwest` client with the same settings.
struct Calls {
    base: String,
    runtime: tokio::runtime::Runtime,
    unsigned: Client,
    signed: Client,
    plain: reqwest::Client,
    credentials: Credentials,
}

impl Calls {
    fn new() -> Self {
        let address = serve(list_body(10));
        let base = format!("http://{address}/v2");
        Calls {
            runtime: tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"),
            unsigned: Client::builder().base_url(&base).http_client(http()).build().expect("client"),
            signed: Client::builder().base_url(&base).http_client(http()).auth(credentials()).build().expect("client"),
            plain: http(),
            credentials: credentials(),
            base,
        }
    }
}

fn request(c: &mut Criterion) {
    let Calls { base, runtime, unsigned, signed, plain, credentials } = Calls::new();
    // Both ways must get the same answer.
    let generated = runtime.block_on(unsigned.list_ai_api_keys().into_future()).expect("generated client");
    let hand = runtime.block_on(by_hand(&plain, &base, None));
    assert_eq!(generated.ai_api_keys.len(), hand.ai_api_keys.len());
    assert_eq!(generated.ai_api_keys[3].id, hand.ai_api_keys[3].id);

    let mut group = c.benchmark_group("list_ai_api_keys");
    group.bench_function("generated client, unsigned", |b| {
        b.to_async(&runtime).iter(|| async { black_box(unsigned.list_ai_api_keys().await.expect("ok")) })
    });
    group.bench_function("reqwest by hand, unsigned", |b| {
        b.to_async(&runtime).iter(|| async { black_box(by_hand(&plain, &base, None).await) })
    });
    group.bench_function("generated client, signed", |b| {
        b.to_async(&runtime).iter(|| async { black_box(signed.list_ai_api_keys().await.expect("ok")) })
    });
    group.bench_function("reqwest by hand, signed", |b| {
        b.to_async(&runtime).iter(|| async { black_box(by_hand(&plain, &base, Some(&credentials)).await) })
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let body = list_body(10_000);
    let generated: ListAiApiKeysResponse = serde_json::from_slice(&body).expect("generated type decodes");
    let hand: HandList = serde_json::from_slice(&body).expect("hand-written type decodes");
    assert_eq!(generated.ai_api_keys.len(), 10_000);
    assert_eq!(generated.ai_api_keys[9_999].id, hand.ai_api_keys[9_999].id);

    let mut group = c.benchmark_group("decode 10,000 keys");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("generated ListAiApiKeysResponse", |b| {
        b.iter(|| black_box(serde_json::from_slice::<ListAiApiKeysResponse>(black_box(&body)).expect("decodes")))
    });
    group.bench_function("hand-written struct", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandList>(black_box(&body)).expect("decodes")))
    });
    group.finish();
}

/// Times `rounds` rounds of `n` calls of `a` then `n` of `b` (the order swapped every
/// round) and returns the median per-call times and the quartiles of the per-round ratio
/// a/b. On a shared machine whose load drifts, the ratio of neighbouring measurements is
/// steadier than two criterion runs made a minute apart.
fn interleaved(rounds: usize, n: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration, [f64; 3]) {
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed() / n as u32
    };
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (x, y) = if round % 2 == 0 {
            let x = time(&mut a);
            (x, time(&mut b))
        } else {
            let y = time(&mut b);
            (time(&mut a), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
    }
    ta.sort();
    tb.sort();
    ratios.sort_by(f64::total_cmp);
    let q = |p: f64| ratios[((ratios.len() - 1) as f64 * p).round() as usize];
    (ta[rounds / 2], tb[rounds / 2], [q(0.25), q(0.5), q(0.75)])
}

/// The interleaved comparisons, printed after criterion's own figures.
fn ab() {
    println!("\ninterleaved A/B (median per call; ratio generated/by hand: median [quartiles])");
    let report = |name: &str, (a, b, r): (Duration, Duration, [f64; 3])| {
        println!(
            "{name:<44} generated {a:>10.2?}  by hand {b:>10.2?}  ratio {:.3} [{:.3} – {:.3}] ({:+.1}%)",
            r[1],
            r[0],
            r[2],
            (r[1] - 1.0) * 100.0
        );
    };
    let Calls { base, runtime, unsigned, signed, plain, credentials } = Calls::new();
    report(
        "list_ai_api_keys, unsigned",
        interleaved(
            60,
            200,
            || drop(black_box(runtime.block_on(unsigned.list_ai_api_keys().into_future()).expect("ok"))),
            || drop(black_box(runtime.block_on(by_hand(&plain, &base, None)))),
        ),
    );
    report(
        "list_ai_api_keys, signed",
        interleaved(
            60,
            200,
            || drop(black_box(runtime.block_on(signed.list_ai_api_keys().into_future()).expect("ok"))),
            || drop(black_box(runtime.block_on(by_hand(&plain, &base, Some(&credentials))))),
        ),
    );
    let body = list_body(10_000);
    report(
        "decode 10,000 keys",
        interleaved(
            60,
            3,
            || drop(black_box(serde_json::from_slice::<ListAiApiKeysResponse>(black_box(&body)).expect("decodes"))),
            || drop(black_box(serde_json::from_slice::<HandList>(black_box(&body)).expect("decodes"))),
        ),
    );
}

criterion_group!(benches, request, decode);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only under `cargo bench` (which passes `--bench`), and not when criterion lists.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list") {
        ab();
    }
}
