//! 1 GB down and 1 GB up through a generated client (the `streams` fixture crate), against a
//! local server, with the process's peak memory before and after: streaming must keep it flat.
//! Run with `cargo bench -p client-tests --bench transfer`; figures in BENCHMARKS.md.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::time::Instant;

use futures_util::StreamExt as _;

const MB: usize = 1024 * 1024;
const SIZE: usize = 1024 * MB;

/// The process's peak resident memory (`VmHWM`), in MB.
fn peak_mb() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// Answers each connection: a GET with `SIZE` bytes made as they are written, a PUT by reading
/// its body to the end (chunked or sized) and answering 204.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut length = None;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse::<usize>().ok();
                }
                line.clear();
            }
            let mut stream = stream;
            if request.starts_with("GET") {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {SIZE}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).unwrap();
                let chunk = vec![1u8; 256 * 1024];
                for _ in 0..SIZE / chunk.len() {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                }
            } else {
                let mut sink = vec![0u8; 256 * 1024];
                match length {
                    Some(mut left) => {
                        while left > 0 {
                            let want = left.min(sink.len());
                            let n = reader.read(&mut sink[..want]).unwrap();
                            left -= n;
                        }
                    }
                    // Chunked: read to the final zero-length chunk.
                    None => loop {
                        let mut size = String::new();
                        reader.read_line(&mut size).unwrap();
                        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                        let mut chunk = vec![0u8; size + 2];
                        reader.read_exact(&mut chunk).unwrap();
                        if size == 0 {
                            break;
                        }
                    },
                }
                stream.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").unwrap();
            }
        }
    });
    format!("http://{address}/v1")
}

#[tokio::main]
async fn main() {
    let url = serve();
    let client = streams::Client::builder().base_url(url).build().unwrap();
    let before = peak_mb();

    let started = Instant::now();
    let mut chunks = client.download_file("big").await.expect("download");
    let mut total = 0;
    while let Some(chunk) = chunks.next().await {
        total += chunk.expect("a chunk").len();
    }
    let down = started.elapsed();
    assert_eq!(total, SIZE);
    let after_download = peak_mb();

    let path = std::env::temp_dir().join(format!("transfer-bench-{}", std::process::id()));
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let block = vec![2u8; MB];
        for _ in 0..SIZE / MB {
            file.write_all(&block).unwrap();
        }
    }
    let started = Instant::now();
    client.upload_file("big", streams::Body::file(&path)).await.expect("upload");
    let up = started.elapsed();
    std::fs::remove_file(&path).unwrap();
    let after_upload = peak_mb();

    let rate = |d: std::time::Duration| SIZE as f64 / MB as f64 / d.as_secs_f64();
    println!("peak memory before: {before} MB");
    println!(
        "download 1 GB: {:.2} s ({:.0} MB/s), peak memory after: {after_download} MB",
        down.as_secs_f64(),
        rate(down)
    );
    println!(
        "upload 1 GB from a file: {:.2} s ({:.0} MB/s), peak memory after: {after_upload} MB",
        up.as_secs_f64(),
        rate(up)
    );
    assert!(after_upload < before + 64, "memory grew with the bytes: {before} MB → {after_upload} MB");
}
