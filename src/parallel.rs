//! Independent jobs on every core: loading parses data files, rendering renders artifacts,
//! `check` checks files. No thread pool lives between calls; each call spawns its threads and
//! joins them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A knowledge base smaller than this many limitations, or this many bytes of data files,
/// is done on one thread: for it, a step takes less time than starting threads and waking a
/// second core (`generate --check` of the 26 limitations of the real knowledge base took
/// 6.7 ms on one thread against 7.3 ms on two; see BENCHMARKS.md).
pub(crate) const PARALLEL_FROM_LIMITATIONS: usize = 200;
/// See [`PARALLEL_FROM_LIMITATIONS`]: 200 limitations are about 250 KB of data.
pub(crate) const PARALLEL_FROM_BYTES: u64 = 256 * 1024;
/// `check` of fewer files (or Terraform configurations) than this is done on one thread:
/// checking one takes well under a millisecond, about what starting a thread costs.
pub const PARALLEL_FROM_FILES: usize = 8;

/// `f` applied to every job, in job order. If `parallel` (the work is worth it), computed on
/// as many threads as there are cores (at most one per job), jobs handed out one at a time so
/// that uneven jobs even out; else on this thread.
pub fn map<J: Sync, T: Send>(jobs: &[J], parallel: bool, f: impl Fn(&J) -> T + Sync) -> Vec<T> {
    let threads = if parallel { cores().min(jobs.len()) } else { 1 };
    if threads <= 1 {
        return jobs.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return done;
            };
            done.push((i, f(job)));
        }
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            all.extend(helper.join().expect("a worker thread panicked"));
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The cores this process may use, asked once: the answer reads cgroup files.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_come_in_job_order_whatever_thread_computed_them() {
        let jobs: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish jobs out of order.
        let squares = map(&jobs, true, |&n| {
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
            n * n
        });
        assert_eq!(squares, jobs.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(map(&jobs, false, |&n| n * n), squares);
        assert!(map(&[] as &[u64], true, |&n| n).is_empty());
    }
}
