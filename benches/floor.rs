//! The scan floor of a large file on this machine: map it, split it into one slice per
//! thread, and count a byte that never occurs (memchr over every byte; the page-table work
//! of mapping included, as it is in any mapped search). Nothing of mmgrep is used, so the
//! number is what any mapped grep pays before it matches anything.
//!
//! Usage: cargo bench --bench floor -- FILE [RUNS]
//! Prints the median wall time for 1 and 2 threads, with and without MADV_POPULATE_READ.

use std::fs::File;
use std::time::Instant;

fn scan(map: &[u8], threads: usize, populate: bool) -> usize {
    let per = map.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = map
            .chunks(per)
            .map(|part| {
                s.spawn(move || {
                    if populate {
                        // SAFETY: the range lies inside the live map; madvise leaves its contents alone.
                        unsafe {
                            let page = 4096;
                            let at = (part.as_ptr() as usize) & !(page - 1);
                            let len = part.as_ptr() as usize + part.len() - at;
                            libc::madvise(
                                at as *mut libc::c_void,
                                len,
                                22, /* MADV_POPULATE_READ */
                            );
                        }
                    }
                    memchr::memchr_iter(0x01, part).count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench floor -- FILE [RUNS]");
        // `cargo bench` with no file: nothing to measure, not an error.
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(7);
    let file = File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    for populate in [false, true] {
        for threads in [1, 2] {
            let mut times = Vec::with_capacity(runs);
            for i in 0..=runs {
                let t = Instant::now();
                // A fresh map per run, as each grep process makes one.
                // SAFETY: the file is a benchmark corpus nobody modifies meanwhile.
                let map = unsafe { memmap2::Mmap::map(&file) }.expect("map");
                let n = scan(&map, threads, populate);
                drop(map);
                let el = t.elapsed().as_secs_f64();
                assert_eq!(n, 0, "the corpus holds 0x01 bytes: pick another byte");
                if i > 0 {
                    times.push(el);
                }
            }
            times.sort_by(f64::total_cmp);
            println!(
                "threads {threads} populate {populate:<5}: median {:.3} s over {runs} runs",
                times[runs / 2]
            );
        }
    }
}
