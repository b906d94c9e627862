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
//! - what retries, hooks and tracing cost when they have nothing to do: the same successful
//!   call (a) with retries off and no hook, (b) with the default retry policy and a no-op
//!   hook, tracing compiled in with no subscriber, (c) as (b) under a subscriber that takes
//!   every span and event and does nothing with them.
//!
//! Criterion measures each of them; then, because this machine's load drifts, the pairs are
//! also measured interleaved (A, B, B, A, …) and the median of the per-round ratios printed.
//! Case (c) comes last, criterion and interleaved: once a subscriber has existed, tracing's
//! callsites stay marked as interesting, which would tax (a) and (b) measured after it.
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
use exoscale_api::{Attempt, Client, Hook, Outcome, RetryPolicy};
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
    /// (a): retries off, no hook.
    bare: Client,
    /// (b): the default retry policy and a hook that does nothing.
    hooked: Client,
    plain: reqwest::Client,
    credentials: Credentials,
}

/// A hook with nothing to do, so that what is measured is the cost of having one.
struct NoopHook;

impl Hook for NoopHook {
    fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut reqwest::Request) {
        black_box((attempt, request));
    }

    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        black_box((attempt, outcome));
    }
}

/// A subscriber that wants every span and event and drops them: the cost of tracing's
/// bookkeeping (span ids, entering and leaving, recording fields) without any output.
struct NoopSubscriber(std::sync::atomic::AtomicU64);

impl tracing::Subscriber for NoopSubscriber {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        black_box(span);
        tracing::span::Id::from_u64(self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        black_box((span, values));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        black_box(event);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn noop_subscriber() -> tracing::Dispatch {
    tracing::Dispatch::new(NoopSubscriber(std::sync::atomic::AtomicU64::new(0)))
}

impl Calls {
    fn new() -> Self {
        let address = serve(list_body(10));
        let base = format!("http://{address}/v2");
        Calls {
            runtime: tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime"),
            unsigned: Client::builder().base_url(&base).http_client(http()).build().expect("client"),
            signed: Client::builder().base_url(&base).http_client(http()).auth(credentials()).build().expect("client"),
            bare: Client::builder()
                .base_url(&base)
                .http_client(http())
                .retry(RetryPolicy::none())
                .build()
                .expect("client"),
            hooked: Client::builder().base_url(&base).http_client(http()).hook(NoopHook).build().expect("client"),
            plain: http(),
            credentials: credentials(),
            base,
        }
    }
}

fn request(c: &mut Criterion) {
    let Calls { base, runtime, unsigned, signed, plain, credentials, .. } = Calls::new();
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

/// (a) and (b), unsigned, beside the hand-written client.
fn overhead(c: &mut Criterion) {
    let Calls { base, runtime, bare, hooked, plain, .. } = Calls::new();
    let mut group = c.benchmark_group("retries, hooks, tracing idle");
    group.bench_function("a: no retries, no hook", |b| {
        b.to_async(&runtime).iter(|| async { black_box(bare.list_ai_api_keys().await.expect("ok")) })
    });
    group.bench_function("b: default retries, no-op hook", |b| {
        b.to_async(&runtime).iter(|| async { black_box(hooked.list_ai_api_keys().await.expect("ok")) })
    });
    group.bench_function("reqwest by hand", |b| {
        b.to_async(&runtime).iter(|| async { black_box(by_hand(&plain, &base, None).await) })
    });
    group.finish();
}

/// (c): (b) under a subscriber. Run after everything else (see the module's comment).
fn subscribed(c: &mut Criterion) {
    let Calls { runtime, hooked, .. } = Calls::new();
    let mut group = c.benchmark_group("retries, hooks, tracing idle");
    // The runtime runs on this thread, so the thread's default subscriber sees every span.
    tracing::dispatcher::with_default(&noop_subscriber(), || {
        group.bench_function("c: b with a no-op subscriber", |b| {
            b.to_async(&runtime).iter(|| async { black_box(hooked.list_ai_api_keys().await.expect("ok")) })
        });
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

/// The CPU time this thread has used (Linux's `/proc/thread-self/schedstat`, in
/// nanoseconds), if the system says.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(stat.split_whitespace().next()?.parse().ok()?))
}

/// Per-call times of A and B and the spread of their per-round ratio.
struct Comparison {
    /// Median wall time per call of A and of B.
    a: Duration,
    b: Duration,
    /// Quartiles of the per-round ratio A/B of wall time, and of this thread's CPU time.
    wall: [f64; 3],
    cpu: Option<[f64; 3]>,
}

/// Times `rounds` rounds of `n` calls of `a` then `n` of `b` (the order swapped every
/// round) and compares them. On a shared machine whose load drifts, the ratio of
/// neighbouring measurements is steadier than two criterion runs made a minute apart, and
/// the CPU time of the calling thread steadier than its wall time: it leaves out the time
/// spent waiting for a core, which other tenants decide. The server's thread is not
/// counted, but it does the same work for A and B.
fn interleaved(rounds: usize, n: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> Comparison {
    let time = |f: &mut dyn FnMut()| {
        let (start, cpu) = (std::time::Instant::now(), thread_cpu());
        for _ in 0..n {
            f();
        }
        let cpu = cpu.zip(thread_cpu()).map(|(before, after)| (after - before).as_secs_f64());
        (start.elapsed() / n as u32, cpu)
    };
    let (mut ta, mut tb, mut wall, mut cpu) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let ((x, x_cpu), (y, y_cpu)) = if round % 2 == 0 {
            let x = time(&mut a);
            (x, time(&mut b))
        } else {
            let y = time(&mut b);
            (time(&mut a), y)
        };
        ta.push(x);
        tb.push(y);
        wall.push(x.as_secs_f64() / y.as_secs_f64());
        if let Some((x, y)) = x_cpu.zip(y_cpu) {
            cpu.push(x / y);
        }
    }
    ta.sort();
    tb.sort();
    let quartiles = |mut ratios: Vec<f64>| {
        ratios.sort_by(f64::total_cmp);
        let q = |p: f64| ratios[((ratios.len() - 1) as f64 * p).round() as usize];
        [q(0.25), q(0.5), q(0.75)]
    };
    Comparison {
        a: ta[rounds / 2],
        b: tb[rounds / 2],
        wall: quartiles(wall),
        cpu: (cpu.len() == rounds).then(|| quartiles(cpu)),
    }
}

/// Rounds of the interleaved request comparisons, and calls of each side per round: short
/// rounds keep the two sides of a ratio close in time.
const ROUNDS: usize = 200;
const CALLS: usize = 100;

/// Prints one interleaved comparison.
fn report(name: &str, c: Comparison) {
    let ratio = |r: [f64; 3]| format!("{:.3} [{:.3} – {:.3}] ({:+.1}%)", r[1], r[0], r[2], (r[1] - 1.0) * 100.0);
    let cpu = c.cpu.map_or_else(|| "n/a".to_string(), ratio);
    println!("{name:<48} A {:>9.2?}  B {:>9.2?}  wall A/B {}  CPU A/B {cpu}", c.a, c.b, ratio(c.wall));
}

/// The interleaved comparisons, printed after criterion's own figures.
fn ab() {
    println!("\ninterleaved A/B (median per call; per-round ratio A/B of wall and of CPU time: median [quartiles])");
    let Calls { base, runtime, unsigned, signed, bare, hooked, plain, credentials } = Calls::new();
    let call =
        |client: &Client| drop(black_box(runtime.block_on(client.list_ai_api_keys().into_future()).expect("ok")));
    report("(b) default retries + hook / (a) none", interleaved(ROUNDS, CALLS, || call(&hooked), || call(&bare)));
    report(
        "(a) no retries, no hook / by hand",
        interleaved(ROUNDS, CALLS, || call(&bare), || drop(black_box(runtime.block_on(by_hand(&plain, &base, None))))),
    );
    report(
        "(b) default retries + hook / by hand",
        interleaved(
            ROUNDS,
            CALLS,
            || call(&hooked),
            || drop(black_box(runtime.block_on(by_hand(&plain, &base, None)))),
        ),
    );
    report(
        "generated (default client) / by hand, unsigned",
        interleaved(
            ROUNDS,
            CALLS,
            || call(&unsigned),
            || drop(black_box(runtime.block_on(by_hand(&plain, &base, None)))),
        ),
    );
    report(
        "generated (default client) / by hand, signed",
        interleaved(
            ROUNDS,
            CALLS,
            || call(&signed),
            || drop(black_box(runtime.block_on(by_hand(&plain, &base, Some(&credentials))))),
        ),
    );
    let body = list_body(10_000);
    report(
        "decode 10,000 keys, generated / by hand",
        interleaved(
            ROUNDS,
            3,
            || drop(black_box(serde_json::from_slice::<ListAiApiKeysResponse>(black_box(&body)).expect("decodes"))),
            || drop(black_box(serde_json::from_slice::<HandList>(black_box(&body)).expect("decodes"))),
        ),
    );
}

/// (c) against (b), interleaved, each call of (c) under the no-op subscriber.
fn ab_subscribed() {
    let Calls { runtime, hooked, .. } = Calls::new();
    let subscriber = noop_subscriber();
    let call = || drop(black_box(runtime.block_on(hooked.list_ai_api_keys().into_future()).expect("ok")));
    report(
        "(c) with no-op subscriber / (b) without",
        interleaved(ROUNDS, CALLS, || tracing::dispatcher::with_default(&subscriber, call), call),
    );
}

criterion_group!(benches, request, overhead, decode);
criterion_group!(last, subscribed);

fn main() {
    // Only under `cargo bench` (which passes `--bench`), and not when criterion lists.
    let args: Vec<String> = std::env::args().collect();
    let interleave = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--list");
    benches();
    if interleave {
        ab();
    }
    last();
    if interleave {
        ab_subscribed();
    }
    Criterion::default().configure_from_args().final_summary();
}
